import { z } from 'zod';

/** How a value is stored: the `technicalType` of RenderHints. */
export const RenderHintsTechnicalType = {
  Boolean: 'Boolean',
  Float: 'Float',
  Integer: 'Integer',
  Object: 'Object',
  String: 'String',
  Json: 'Json',
  Unknown: 'Unknown',
} as const;
/** One of the technical types. */
export type RenderHintsTechnicalType =
  (typeof RenderHintsTechnicalType)[keyof typeof RenderHintsTechnicalType];

/** Which kind of input a user interface should offer: the `editType` of RenderHints. */
export const RenderHintsEditType = {
  InputLike: 'InputLike',
  ButtonLike: 'ButtonLike',
  RadioButtonLike: 'RadioButtonLike',
  SelectLike: 'SelectLike',
  SliderLike: 'SliderLike',
  Complex: 'Complex',
  Secret: 'Secret',
  TextArea: 'TextArea',
  Upload: 'Upload',
} as const;
/** One of the edit types. */
export type RenderHintsEditType = (typeof RenderHintsEditType)[keyof typeof RenderHintsEditType];

/** What a string means, so that a user interface can format or pick it: the `dataType` of RenderHints. */
export const RenderHintsDataType = {
  Country: 'Country',
  DataURL: 'DataURL',
  EMailAddress: 'EMailAddress',
  HEXColor: 'HEXColor',
  Language: 'Language',
  PhoneNumber: 'PhoneNumber',
  URL: 'URL',
  FileReference: 'FileReference',
  Date: 'Date',
  DatePeriod: 'DatePeriod',
  DateTime: 'DateTime',
  DateTimePeriod: 'DateTimePeriod',
  Time: 'Time',
  TimePeriod: 'TimePeriod',
  Day: 'Day',
  Month: 'Month',
  Year: 'Year',
  XML: 'XML',
  HouseNumber: 'HouseNumber',
} as const;
/** One of the data types. */
export type RenderHintsDataType = (typeof RenderHintsDataType)[keyof typeof RenderHintsDataType];

/** One allowed value of a field and the text shown for it (often an `i18n://` key). */
export const valueHintsValueSchema = z.strictObject({
  '@type': z.literal('ValueHintsValue').optional(),
  key: z.union([z.string().max(100), z.number(), z.boolean()]),
  displayName: z.string().max(100),
});
/** One allowed value of a field. */
export type ValueHintsValue = z.infer<typeof valueHintsValueSchema>;

/** Constraints of a value for input forms: lengths or ranges, a pattern, the allowed values, a default. */
export interface ValueHints {
  '@type'?: 'ValueHints' | 'ValueHintsOverride' | undefined;
  editHelp?: string | undefined;
  min?: number | undefined;
  max?: number | undefined;
  pattern?: string | undefined;
  values?: ValueHintsValue[] | undefined;
  defaultValue?: string | number | boolean | undefined;
  propertyHints?: Record<string, ValueHints> | undefined;
}

/** ValueHints as content JSON (also used for `valueHintsOverride`, where every field is optional anyway). */
export const valueHintsSchema: z.ZodType<ValueHints> = z.strictObject({
  '@type': z.enum(['ValueHints', 'ValueHintsOverride']).optional(),
  editHelp: z.string().max(500).optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  pattern: z.string().max(1000).optional(),
  values: z.array(valueHintsValueSchema).optional(),
  defaultValue: z.union([z.string(), z.number(), z.boolean()]).optional(),
  get propertyHints() {
    return z.record(z.string(), valueHintsSchema).optional();
  },
});

/** How a user interface should render and edit a value. */
export interface RenderHints {
  '@type'?: 'RenderHints' | undefined;
  technicalType: RenderHintsTechnicalType;
  editType: RenderHintsEditType;
  dataType?: RenderHintsDataType | undefined;
  propertyHints?: Record<string, RenderHints> | undefined;
}

/** RenderHints as content JSON. */
export const renderHintsSchema: z.ZodType<RenderHints> = z.strictObject({
  '@type': z.literal('RenderHints').optional(),
  technicalType: z.enum(RenderHintsTechnicalType),
  editType: z.enum(RenderHintsEditType),
  dataType: z.enum(RenderHintsDataType).optional(),
  get propertyHints() {
    return z.record(z.string(), renderHintsSchema).optional();
  },
});

/** Builds ValueHints the way Enmeshed serialises them: typed, with `propertyHints` always present. */
export function valueHints(hints: Omit<ValueHints, '@type'> = {}): ValueHints {
  return { '@type': 'ValueHints', ...hints, propertyHints: hints.propertyHints ?? {} };
}

/** Builds RenderHints the way Enmeshed serialises them: typed, with `propertyHints` always present. */
export function renderHints(
  editType: RenderHintsEditType,
  technicalType: RenderHintsTechnicalType,
  extra: { dataType?: RenderHintsDataType; propertyHints?: Record<string, RenderHints> } = {},
): RenderHints {
  return {
    '@type': 'RenderHints',
    technicalType,
    editType,
    ...(extra.dataType === undefined ? {} : { dataType: extra.dataType }),
    propertyHints: extra.propertyHints ?? {},
  };
}
