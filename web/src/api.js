// The one module that talks to the server (/api/v1). JSON in and out, the session cookie sent
// with every request, the CSRF token from the login or /session reply on every write. A
// server error shows its Chinese message (through `notify`) and rejects with an ApiError;
// "unauthenticated" and "password_change_required" also call the handlers that send the user
// to the login or the change-password page.

export const kBase = '/api/v1';

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

// "?a=1&b=x" from an object, leaving out empty values; '' when nothing is left.
export function queryString(query) {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    params.append(k, String(v));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

// An address under /api/v1 for links (downloads go through the browser with the cookie).
export function apiUrl(path, query) {
  return `${kBase}${path}${queryString(query)}`;
}

const kNetworkMessage = '无法连接服务器，请检查网络后重试';

// Creates a client. Options:
//   fetchImpl                 the fetch function (tests pass a fake)
//   notify(message)           shows an error message to the user
//   onUnauthenticated()       the session is gone: go to the login page
//   onPasswordChangeRequired() the user must change the password first
export function createApi({
  fetchImpl = (...a) => globalThis.fetch(...a),
  notify = () => {},
  onUnauthenticated = () => {},
  onPasswordChangeRequired = () => {},
} = {}) {
  let csrf = '';

  async function readError(res) {
    let code = 'http_' + res.status;
    let message = `服务器返回错误（${res.status}）`;
    try {
      const body = await res.json();
      if (body && body.error) {
        code = body.error.code || code;
        message = body.error.message || message;
      }
    } catch {
      // Not JSON (a proxy's page): keep the generic message.
    }
    return new ApiError(res.status, code, message);
  }

  // method, path under /api/v1; opts: query, json (a body to send as JSON), body + contentType
  // (raw upload), quiet (do not show the error: the caller does).
  async function request(method, path, opts = {}) {
    const headers = { Accept: 'application/json' };
    let body;
    if (opts.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(opts.json);
    } else if (opts.body !== undefined) {
      headers['Content-Type'] = opts.contentType || 'application/octet-stream';
      body = opts.body;
    }
    if (method !== 'GET' && csrf) headers['X-CSRF-Token'] = csrf;
    let res;
    try {
      res = await fetchImpl(apiUrl(path, opts.query), {
        method,
        headers,
        body,
        credentials: 'same-origin',
      });
    } catch {
      const err = new ApiError(0, 'network', kNetworkMessage);
      if (!opts.quiet) notify(err.message);
      throw err;
    }
    if (!res.ok) {
      const err = await readError(res);
      if (err.code === 'unauthenticated') {
        csrf = '';
        onUnauthenticated(err);
      } else if (err.code === 'password_change_required') {
        onPasswordChangeRequired(err);
      }
      // Being sent to the login page says enough; every other error is shown.
      if (!opts.quiet && err.code !== 'unauthenticated') notify(err.message);
      throw err;
    }
    const type = res.headers.get('Content-Type') || '';
    if (!type.includes('json')) return res.text();
    const data = await res.json();
    if (data && typeof data.csrf_token === 'string') csrf = data.csrf_token;
    return data;
  }

  return {
    get: (path, query, opts = {}) => request('GET', path, { ...opts, query }),
    post: (path, json, opts = {}) => request('POST', path, { ...opts, json: json ?? {} }),
    patch: (path, json, opts = {}) => request('PATCH', path, { ...opts, json: json ?? {} }),
    put: (path, json, opts = {}) => request('PUT', path, { ...opts, json: json ?? {} }),
    // Sends a file as the request body (uploads are not multipart: the server streams them).
    upload: (path, query, file, opts = {}) =>
      request('POST', path, {
        ...opts,
        query,
        body: file,
        contentType: 'application/octet-stream',
      }),
    // Sends a file as the request body with its own type (a File's `type`, or
    // application/octet-stream when the browser does not know it): objection attachments,
    // whose kind the server reads from the bytes and whose name goes in the query.
    uploadFile: (path, query, file, opts = {}) =>
      request('POST', path, {
        ...opts,
        query,
        body: file,
        contentType: (file && file.type) || 'application/octet-stream',
      }),
    setCsrf: (token) => {
      csrf = token || '';
    },
    csrf: () => csrf,
  };
}

// Polls GET /jobs/{id} until the job has finished; calls onProgress(job) at every look.
// Resolves with the finished job (state succeeded or failed).
export async function waitForJob(api, id, { onProgress = () => {}, intervalMs = 800, sleep } = {}) {
  const pause = sleep || ((ms) => new Promise((r) => setTimeout(r, ms)));
  for (;;) {
    const job = await api.get(`/jobs/${id}`);
    onProgress(job);
    if (job.state === 'succeeded' || job.state === 'failed') return job;
    await pause(intervalMs);
  }
}
