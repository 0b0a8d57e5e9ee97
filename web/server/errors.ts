// Every failure of the API is an ApiError: a sentence for people and a code for scripts.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiError } from '../api/types.js';

/** A failure the handler foresaw, with its HTTP status. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const badParameter = (name: string, problem: string): HttpError => new HttpError(400, 'bad-parameter', `parameter ${name}: ${problem}`);

export function sendApiError(reply: FastifyReply, status: number, body: ApiError): FastifyReply {
  return reply.code(status).header('cache-control', 'no-store').type('application/json; charset=utf-8').send(body);
}

export function handleError(error: FastifyError | Error, _request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof HttpError) return sendApiError(reply, error.status, { error: error.message, code: error.code });
  const status = (error as FastifyError).statusCode;
  // fastify's own refusals (malformed URL, unsupported media type, …) keep their status
  if (status !== undefined && status >= 400 && status < 500) return sendApiError(reply, status, { error: error.message, code: (error as FastifyError).code ?? 'bad-request' });
  return sendApiError(reply, 500, { error: `internal error: ${error.message}. This is a bug in kubelog; please report it with the request that caused it.`, code: 'internal' });
}
