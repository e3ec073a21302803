/**
 * ConsentRequestItem and AuthenticationRequestItem: the recipient agrees or logs in; accepting answers with
 * an AcceptResponseItem and changes nothing else. The decider never decides them: a person does.
 */
import type { AuthenticationRequestItem, ConsentRequestItem } from '@enmesh/content';
import { defineProcessor } from '../item-processor.js';

/** The ConsentRequestItem processor. */
export const consentProcessor = defineProcessor<ConsentRequestItem>();

/** The AuthenticationRequestItem processor. */
export const authenticationProcessor = defineProcessor<AuthenticationRequestItem>();

/** The item types that always need a person's decision. */
export const manualDecisionItemTypes: readonly string[] = ['ConsentRequestItem', 'AuthenticationRequestItem'];
