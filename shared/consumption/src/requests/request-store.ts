/**
 * Reading and writing LocalRequests within a unit of work, and moving them between states (with the
 * status log and the status-changed events).
 */
import type { Request } from '@enmesh/content';
import { type FindOptionsWhere, In } from 'typeorm';
import type { Tx } from '../context.js';
import { ConsumptionError, ConsumptionErrorCodes, notFound } from '../errors.js';
import { RequestEntity, type RequestRow } from '../storage/entities.js';
import type {
  LocalRequest,
  LocalRequestSource,
  LocalRequestStatus,
  LocalRequestStatusLogEntry,
  LocalResponse,
} from './local-request.js';

/** The LocalRequest a row holds. */
export function requestFromRow(row: RequestRow): LocalRequest {
  const request: LocalRequest = {
    id: row.id,
    isOwn: row.isOwn,
    peer: row.peer,
    createdAt: row.createdAt,
    status: row.status as LocalRequestStatus,
    content: JSON.parse(row.content) as Request,
  };
  if (row.sourceType !== null && row.sourceReference !== null) {
    request.source = { type: row.sourceType as LocalRequestSource['type'], reference: row.sourceReference };
  }
  if (row.response !== null) request.response = JSON.parse(row.response) as LocalResponse;
  if (row.wasAutomaticallyDecided === true) request.wasAutomaticallyDecided = true;
  if (row.decider !== null) request.decider = row.decider;
  return request;
}

function rowOf(identity: string, request: LocalRequest): Omit<RequestRow, 'statusLog'> {
  return {
    identity,
    id: request.id,
    isOwn: request.isOwn,
    peer: request.peer,
    createdAt: request.createdAt,
    status: request.status,
    content: JSON.stringify(request.content),
    expiresAt: request.content.expiresAt ?? null,
    sourceType: request.source?.type ?? null,
    sourceReference: request.source?.reference ?? null,
    response: request.response === undefined ? null : JSON.stringify(request.response),
    wasAutomaticallyDecided: request.wasAutomaticallyDecided === true ? true : null,
    decider: request.decider ?? null,
  };
}

/** The request of the own identity with this id, or undefined. */
export async function findRequest(tx: Tx, id: string): Promise<LocalRequest | undefined> {
  const row = await tx.manager.findOneBy(RequestEntity, { identity: tx.address, id });
  return row === null ? undefined : requestFromRow(row);
}

/**
 * The request of the own identity with this id, outgoing (`isOwn`) or incoming.
 * @throws {ConsumptionError} `recordNotFound`
 */
export async function getRequest(tx: Tx, id: string, isOwn: boolean): Promise<LocalRequest> {
  const row = await tx.manager.findOneBy(RequestEntity, { identity: tx.address, id, isOwn });
  if (row === null) throw notFound(isOwn ? 'OutgoingRequest' : 'IncomingRequest', id);
  return requestFromRow(row);
}

/** A filter on requests. */
export interface RequestFilter {
  peer?: string;
  status?: LocalRequestStatus | readonly LocalRequestStatus[];
}

/** The requests of the own identity of one direction matching a filter, oldest first. */
export async function findRequests(
  tx: Tx,
  isOwn: boolean,
  filter: RequestFilter = {},
): Promise<LocalRequest[]> {
  const where: FindOptionsWhere<RequestRow> = { identity: tx.address, isOwn };
  if (filter.peer !== undefined) where.peer = filter.peer;
  if (filter.status !== undefined) {
    where.status = typeof filter.status === 'string' ? filter.status : In([...filter.status]);
  }
  const rows = await tx.manager.find(RequestEntity, { where, order: { createdAt: 'ASC', id: 'ASC' } });
  return rows.map(requestFromRow);
}

/**
 * Stores a new request of the own identity.
 * @throws {ConsumptionError} `recordAlreadyExists` when the own identity has a request with its id
 */
export async function insertRequest(tx: Tx, request: LocalRequest): Promise<void> {
  if ((await tx.manager.countBy(RequestEntity, { identity: tx.address, id: request.id })) > 0) {
    throw new ConsumptionError(
      ConsumptionErrorCodes.recordAlreadyExists,
      `a request with id ${request.id} exists`,
      {
        details: { id: request.id },
      },
    );
  }
  await tx.manager.insert(RequestEntity, { ...rowOf(tx.address, request), statusLog: '[]' });
}

/** Stores a changed request of the own identity. */
export async function saveRequest(tx: Tx, request: LocalRequest): Promise<void> {
  const { identity, id, ...row } = rowOf(tx.address, request);
  await tx.manager.update(RequestEntity, { identity, id }, row);
}

/** Removes a request of the own identity. */
export async function removeRequest(tx: Tx, id: string): Promise<void> {
  await tx.manager.delete(RequestEntity, { identity: tx.address, id });
}

/**
 * Throws unless the request is in one of the states.
 * @throws {ConsumptionError} `wrongStatus`
 */
export function requireStatus(request: LocalRequest, allowed: readonly LocalRequestStatus[]): void {
  if (allowed.includes(request.status)) return;
  throw new ConsumptionError(
    ConsumptionErrorCodes.wrongStatus,
    `the request ${request.id} is ${request.status}; expected ${allowed.join(' or ')}`,
    { details: { id: request.id, status: request.status } },
  );
}

/** Moves a request to a new state: stores it, logs the change and raises the status-changed event. */
export async function changeStatus(
  tx: Tx,
  request: LocalRequest,
  newStatus: LocalRequestStatus,
  code?: string,
): Promise<void> {
  const oldStatus = request.status;
  request.status = newStatus;
  await saveRequest(tx, request);
  const key = { identity: tx.address, id: request.id };
  const row = await tx.manager.findOneByOrFail(RequestEntity, key);
  const log = JSON.parse(row.statusLog) as LocalRequestStatusLogEntry[];
  const entry: LocalRequestStatusLogEntry = { createdAt: tx.now(), oldStatus, newStatus };
  if (code !== undefined) entry.code = code;
  log.push(entry);
  await tx.manager.update(RequestEntity, key, { statusLog: JSON.stringify(log) });
  const event = request.isOwn
    ? 'consumption.outgoingRequestStatusChanged'
    : 'consumption.incomingRequestStatusChanged';
  tx.emit(event, { request, oldStatus, newStatus });
}

/** The status log of a request of the own identity, oldest first. */
export async function statusLogOf(tx: Tx, id: string): Promise<LocalRequestStatusLogEntry[]> {
  const row = await tx.manager.findOneBy(RequestEntity, { identity: tx.address, id });
  return row === null ? [] : (JSON.parse(row.statusLog) as LocalRequestStatusLogEntry[]);
}
