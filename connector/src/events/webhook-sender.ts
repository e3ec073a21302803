import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** The outcome of one POST: the status, or the network failure's short reason. */
export type SendOutcome = { readonly ok: boolean; readonly status?: number; readonly error?: string };

/**
 * POSTs a body and reads at most `maxResponseBytes` of the answer (then drops the connection). Never throws:
 * timeouts and network errors come back as `{ok: false, error}` with the error code, never a URL or body.
 * Redirects are not followed; only a 2xx answer counts as delivered.
 */
export function postWebhook(
  url: string,
  body: string,
  headers: Readonly<Record<string, string>>,
  options: { timeoutMs: number; maxResponseBytes: number; rejectUnauthorized: boolean; signal?: AbortSignal },
): Promise<SendOutcome> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: SendOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const target = new URL(url);
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(
      target,
      {
        method: 'POST',
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
        ...(target.protocol === 'https:' ? { rejectUnauthorized: options.rejectUnauthorized } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      },
      (res) => {
        const status = res.statusCode ?? 0;
        let read = 0;
        res.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > options.maxResponseBytes) {
            res.destroy();
            finish({ ok: status >= 200 && status < 300, status });
          }
        });
        res.on('end', () => finish({ ok: status >= 200 && status < 300, status }));
        res.on('error', () => finish({ ok: false, status, error: 'response aborted' }));
      },
    );
    const timer = setTimeout(() => {
      req.destroy();
      finish({ ok: false, error: `timeout after ${options.timeoutMs} ms` });
    }, options.timeoutMs);
    req.on('error', (error: NodeJS.ErrnoException) => finish({ ok: false, error: error.code ?? error.name }));
    req.end(body);
  });
}
