import type { z } from 'zod';
import {
  challengeSchema,
  createChallengeRequest,
  validateChallengeRequest,
  validateChallengeResponse,
} from './challenges.js';
import { pushDatawalletRequest, pushDatawalletResponse } from './datawallet.js';
import {
  addDeviceRequest,
  addDeviceResponse,
  commitCursorRequest,
  deviceIdRequest,
  deviceSchema,
  identityInfoResponse,
  listDevicesResponse,
  loginDeviceRequest,
  okResponse,
  openMailboxRequest,
  openMailboxResponse,
  renameDeviceRequest,
} from './devices.js';
import {
  claimFileRequest,
  completeFileRequest,
  createFileRequest,
  fileChunkResponse,
  fileIdRequest,
  fileSchema,
  fileWithTokenResponse,
  getFileChunkRequest,
  putFileChunkRequest,
} from './files.js';
import {
  createIdentityRequest,
  createIdentityResponse,
  deviceCredentialsSchema,
  identityDeletionSchema,
} from './identities.js';
import {
  messageReceiptRequest,
  sendMessageRequest,
  sendMessageResponse,
  sendMessagesRequest,
  sendMessagesResponse,
} from './messages.js';
import { emptyRequest } from './primitives.js';
import {
  canCreateRelationshipRequest,
  canCreateRelationshipResponse,
  createRelationshipRequest,
  listRelationshipsResponse,
  relationshipIdRequest,
  relationshipSchema,
} from './relationships.js';
import {
  createTemplateRequest,
  deleteTemplateRequest,
  loadTemplateRequest,
  templateSchema,
} from './templates.js';
import {
  createTokenRequest,
  deleteTokenRequest,
  fillTokenRequest,
  loadTokenRequest,
  tokenSchema,
} from './tokens.js';

/** Who may call an operation: anyone through the bootstrap user, or an authenticated device. */
export type Access = 'bootstrap' | 'device';

/** One backbone operation: its subject parts, who may call it, and its request and response schemas. */
export interface OperationSpec<Req extends z.ZodType = z.ZodType, Res extends z.ZodType = z.ZodType> {
  readonly service: string;
  readonly operation: string;
  readonly access: Access;
  readonly request: Req;
  readonly response: Res;
}

function op<Req extends z.ZodType, Res extends z.ZodType>(
  service: string,
  operation: string,
  access: Access,
  request: Req,
  response: Res,
): OperationSpec<Req, Res> {
  return { service, operation, access, request, response };
}

/**
 * Every backbone operation, the single definition that the actors serve and the SDK calls. The subject is
 * `bb.pub.<service>.<operation>` for bootstrap access, `bb.req.<identity>.<device>.<service>.<operation>`
 * for devices.
 */
export const Operations = {
  createAnonymousChallenge: op('challenges', 'create', 'bootstrap', createChallengeRequest, challengeSchema),
  createChallenge: op('challenges', 'create', 'device', createChallengeRequest, challengeSchema),
  validateChallenge: op(
    'challenges',
    'validate',
    'device',
    validateChallengeRequest,
    validateChallengeResponse,
  ),
  createIdentity: op('identities', 'create', 'bootstrap', createIdentityRequest, createIdentityResponse),
  getOwnIdentity: op('identities', 'get', 'device', emptyRequest, identityInfoResponse),
  startIdentityDeletion: op('identities', 'startDeletion', 'device', emptyRequest, identityDeletionSchema),
  cancelIdentityDeletion: op('identities', 'cancelDeletion', 'device', emptyRequest, identityDeletionSchema),
  getIdentityDeletion: op('identities', 'getDeletion', 'device', emptyRequest, identityDeletionSchema),
  loginDevice: op('devices', 'login', 'bootstrap', loginDeviceRequest, deviceCredentialsSchema),
  refreshCredentials: op('devices', 'refresh', 'device', emptyRequest, deviceCredentialsSchema),
  addDevice: op('devices', 'add', 'device', addDeviceRequest, addDeviceResponse),
  listDevices: op('devices', 'list', 'device', emptyRequest, listDevicesResponse),
  renameDevice: op('devices', 'rename', 'device', renameDeviceRequest, deviceSchema),
  revokeDevice: op('devices', 'revoke', 'device', deviceIdRequest, deviceSchema),
  deleteDevice: op('devices', 'delete', 'device', deviceIdRequest, okResponse),
  pushDatawallet: op('sync', 'push', 'device', pushDatawalletRequest, pushDatawalletResponse),
  openMailbox: op('mailbox', 'open', 'device', openMailboxRequest, openMailboxResponse),
  commitCursor: op('mailbox', 'commit', 'device', commitCursorRequest, okResponse),
  createToken: op('tokens', 'create', 'device', createTokenRequest, tokenSchema),
  createEmptyToken: op('tokens', 'createEmpty', 'bootstrap', emptyRequest, tokenSchema),
  fillToken: op('tokens', 'fill', 'device', fillTokenRequest, tokenSchema),
  loadToken: op('tokens', 'get', 'device', loadTokenRequest, tokenSchema),
  loadTokenAnonymously: op('tokens', 'get', 'bootstrap', loadTokenRequest, tokenSchema),
  deleteToken: op('tokens', 'delete', 'device', deleteTokenRequest, okResponse),
  createTemplate: op('templates', 'create', 'device', createTemplateRequest, templateSchema),
  loadTemplate: op('templates', 'get', 'device', loadTemplateRequest, templateSchema),
  loadTemplateAnonymously: op('templates', 'get', 'bootstrap', loadTemplateRequest, templateSchema),
  deleteTemplate: op('templates', 'delete', 'device', deleteTemplateRequest, okResponse),
  createRelationship: op('relationships', 'create', 'device', createRelationshipRequest, relationshipSchema),
  canCreateRelationship: op(
    'relationships',
    'canCreate',
    'device',
    canCreateRelationshipRequest,
    canCreateRelationshipResponse,
  ),
  getRelationship: op('relationships', 'get', 'device', relationshipIdRequest, relationshipSchema),
  listRelationships: op('relationships', 'list', 'device', emptyRequest, listRelationshipsResponse),
  acceptRelationship: op('relationships', 'accept', 'device', relationshipIdRequest, relationshipSchema),
  rejectRelationship: op('relationships', 'reject', 'device', relationshipIdRequest, relationshipSchema),
  revokeRelationship: op('relationships', 'revoke', 'device', relationshipIdRequest, relationshipSchema),
  terminateRelationship: op(
    'relationships',
    'terminate',
    'device',
    relationshipIdRequest,
    relationshipSchema,
  ),
  requestReactivation: op('relationships', 'reactivate', 'device', relationshipIdRequest, relationshipSchema),
  acceptReactivation: op(
    'relationships',
    'acceptReactivation',
    'device',
    relationshipIdRequest,
    relationshipSchema,
  ),
  rejectReactivation: op(
    'relationships',
    'rejectReactivation',
    'device',
    relationshipIdRequest,
    relationshipSchema,
  ),
  revokeReactivation: op(
    'relationships',
    'revokeReactivation',
    'device',
    relationshipIdRequest,
    relationshipSchema,
  ),
  decomposeRelationship: op('relationships', 'decompose', 'device', relationshipIdRequest, okResponse),
  sendMessage: op('messages', 'send', 'device', sendMessageRequest, sendMessageResponse),
  sendMessages: op('messages', 'sendBatch', 'device', sendMessagesRequest, sendMessagesResponse),
  receiptMessages: op('messages', 'receipt', 'device', messageReceiptRequest, okResponse),
  createFile: op('files', 'create', 'device', createFileRequest, fileWithTokenResponse),
  putFileChunk: op('files', 'putChunk', 'device', putFileChunkRequest, okResponse),
  completeFile: op('files', 'complete', 'device', completeFileRequest, fileSchema),
  getFile: op('files', 'get', 'device', fileIdRequest, fileSchema),
  getFileChunk: op('files', 'getChunk', 'device', getFileChunkRequest, fileChunkResponse),
  deleteFile: op('files', 'delete', 'device', fileIdRequest, okResponse),
  regenerateFileOwnershipToken: op(
    'files',
    'regenerateOwnershipToken',
    'device',
    fileIdRequest,
    fileWithTokenResponse,
  ),
  claimFileOwnership: op('files', 'claim', 'device', claimFileRequest, fileWithTokenResponse),
} as const;

/** The name of one backbone operation. */
export type OperationName = keyof typeof Operations;
/** The request body type of an operation. */
export type RequestOf<N extends OperationName> = z.input<(typeof Operations)[N]['request']>;
/** The response body type of an operation. */
export type ResponseOf<N extends OperationName> = z.output<(typeof Operations)[N]['response']>;
