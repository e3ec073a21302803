/**
 * FormFieldRequestItem: the recipient fills in one form field; the answer must fit the field's settings
 * and travels back in the FormFieldAcceptResponseItem.
 */
import { type FormFieldRequestItem, formFieldResponseFault } from '@enmesh/content';
import { ConsumptionErrorCodes } from '../../errors.js';
import { failure, success } from '../../validation.js';
import { defineProcessor } from '../item-processor.js';

/** The FormFieldRequestItem processor. */
export const formFieldProcessor = defineProcessor<FormFieldRequestItem>({
  acceptResponseTypes: ['FormFieldAcceptResponseItem'],

  async canAccept(_tx, item, params) {
    if (!('response' in params)) {
      return failure(
        ConsumptionErrorCodes.invalidAcceptParameters,
        'a form field is accepted with a response',
      );
    }
    const fault = formFieldResponseFault(item.settings, params.response);
    return fault === undefined ? success() : failure(ConsumptionErrorCodes.invalidAcceptParameters, fault);
  },

  async accept(_tx, _item, params) {
    const response = (params as { response: string | number | boolean | string[] }).response;
    return { '@type': 'FormFieldAcceptResponseItem', result: 'Accepted', response };
  },

  async canApplyIncomingResponseItem(_tx, responseItem, item) {
    if (responseItem['@type'] !== 'FormFieldAcceptResponseItem') return success();
    const fault = formFieldResponseFault(item.settings, responseItem.response);
    return fault === undefined ? success() : failure(ConsumptionErrorCodes.invalidResponseItem, fault);
  },
});
