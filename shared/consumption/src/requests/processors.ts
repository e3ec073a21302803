/**
 * The processor of every request item type of the v7 data model.
 */
import type { RequestItem, RequestItemType } from '@enmesh/content';
import type { RequestItemProcessor } from './item-processor.js';
import { authenticationProcessor, consentProcessor } from './processors/consent-and-authentication.js';
import { createAttributeProcessor } from './processors/create-attribute.js';
import { deleteAttributeProcessor } from './processors/delete-attribute.js';
import { formFieldProcessor } from './processors/form-field.js';
import {
  shareAuthorizationRequestProcessor,
  shareCredentialOfferProcessor,
} from './processors/openid4vc-items.js';
import { proposeAttributeProcessor } from './processors/propose-attribute.js';
import { readAttributeProcessor } from './processors/read-attribute.js';
import { shareAttributeProcessor } from './processors/share-attribute.js';
import { transferFileOwnershipProcessor } from './processors/transfer-file-ownership.js';

/** The processors by request item type. */
export type ProcessorRegistry = {
  readonly [T in RequestItemType]: RequestItemProcessor<Extract<RequestItem, { '@type': T }>>;
};

/** The built-in processors. */
export const defaultProcessors: ProcessorRegistry = {
  ReadAttributeRequestItem: readAttributeProcessor,
  ProposeAttributeRequestItem: proposeAttributeProcessor,
  CreateAttributeRequestItem: createAttributeProcessor,
  ShareAttributeRequestItem: shareAttributeProcessor,
  DeleteAttributeRequestItem: deleteAttributeProcessor,
  ConsentRequestItem: consentProcessor,
  AuthenticationRequestItem: authenticationProcessor,
  FormFieldRequestItem: formFieldProcessor,
  TransferFileOwnershipRequestItem: transferFileOwnershipProcessor,
  ShareCredentialOfferRequestItem: shareCredentialOfferProcessor,
  ShareAuthorizationRequestRequestItem: shareAuthorizationRequestProcessor,
};

/** The processor of an item, from a registry. */
export function processorFor(registry: ProcessorRegistry, item: RequestItem): RequestItemProcessor {
  return registry[item['@type']] as unknown as RequestItemProcessor;
}
