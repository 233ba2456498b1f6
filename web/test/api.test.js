import { describe, expect, it, vi } from 'vitest';

import { ApiError, apiUrl, createApi, queryString, waitForJob } from '../src/api.js';

// A fake fetch: answers from a list of [status, body] replies and records each call.
function fakeFetch(replies) {
  const calls = [];
  const fn = async (url, init) => {
    calls.push({ url, init });
    const [status, body, type = 'application/json; charset=utf-8'] = replies.shift();
    return new Response(typeof body === 'string' ? body : JSON.stringify(body), {
      status,
      headers: { 'Content-Type': type },
    });
  };
  fn.calls = calls;
  return fn;
}

describe('queryString', () => {
  it('leaves out empty values and encodes the rest', () => {
    expect(queryString({ q: '花溪', township: '', tier: null, limit: 50, x: undefined })).toBe(
      `?q=${encodeURIComponent('花溪')}&limit=50`,
    );
    expect(queryString({})).toBe('');
    expect(apiUrl('/batches/3/rejects', { format: 'xlsx' })).toBe(
      '/api/v1/batches/3/rejects?format=xlsx',
    );
  });
});

describe('createApi', () => {
  it('sends JSON and the CSRF token from the login reply on later writes', async () => {
    const fetchImpl = fakeFetch([
      [200, { user: { username: 'a' }, csrf_token: 'tok123' }],
      [201, { id: 1 }],
      [200, { items: [] }],
    ]);
    const api = createApi({ fetchImpl });
    await api.post('/session/login', { username: 'a', password: 'b' });
    expect(fetchImpl.calls[0].init.headers['X-CSRF-Token']).toBeUndefined();
    expect(JSON.parse(fetchImpl.calls[0].init.body)).toEqual({ username: 'a', password: 'b' });
    expect(fetchImpl.calls[0].init.credentials).toBe('same-origin');

    await api.post('/objections', { uscc: 'X', claim: '理由' });
    expect(fetchImpl.calls[1].url).toBe('/api/v1/objections');
    expect(fetchImpl.calls[1].init.headers['X-CSRF-Token']).toBe('tok123');
    expect(fetchImpl.calls[1].init.headers['Content-Type']).toBe('application/json');

    await api.get('/objections', { status: 'open' });
    expect(fetchImpl.calls[2].url).toBe('/api/v1/objections?status=open');
    expect(fetchImpl.calls[2].init.headers['X-CSRF-Token']).toBeUndefined();
  });

  it('shows the server\'s Chinese message and rejects with its code', async () => {
    const notify = vi.fn();
    const api = createApi({
      fetchImpl: fakeFetch([[403, { error: { code: 'locked', message: '账号已锁定，请 30 分钟后再试' } }]]),
      notify,
    });
    const err = await api.post('/session/login', {}).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(403);
    expect(err.code).toBe('locked');
    expect(err.message).toBe('账号已锁定，请 30 分钟后再试');
    expect(notify).toHaveBeenCalledWith('账号已锁定，请 30 分钟后再试');
  });

  it('stays quiet when asked to', async () => {
    const notify = vi.fn();
    const api = createApi({
      fetchImpl: fakeFetch([[401, { error: { code: 'bad_credentials', message: '用户名或密码错误' } }]]),
      notify,
    });
    await expect(api.post('/session/login', {}, { quiet: true })).rejects.toThrow('用户名或密码错误');
    expect(notify).not.toHaveBeenCalled();
  });

  it('sends the user to the login page when the session is gone, and forgets the token', async () => {
    const onUnauthenticated = vi.fn();
    const notify = vi.fn();
    const fetchImpl = fakeFetch([
      [200, { user: {}, csrf_token: 't' }],
      [401, { error: { code: 'unauthenticated', message: '未登录或登录已超时，请重新登录' } }],
      [200, { ok: true }],
    ]);
    const api = createApi({ fetchImpl, onUnauthenticated, notify });
    await api.get('/session');
    await expect(api.get('/households')).rejects.toMatchObject({ code: 'unauthenticated' });
    expect(onUnauthenticated).toHaveBeenCalledTimes(1);
    expect(notify).not.toHaveBeenCalled();
    expect(api.csrf()).toBe('');
    await api.post('/session/logout');
    expect(fetchImpl.calls[2].init.headers['X-CSRF-Token']).toBeUndefined();
  });

  it('sends the user to the password page when a change is required', async () => {
    const onPasswordChangeRequired = vi.fn();
    const api = createApi({
      fetchImpl: fakeFetch([
        [403, { error: { code: 'password_change_required', message: '请先修改密码' } }],
      ]),
      onPasswordChangeRequired,
    });
    await expect(api.get('/stats')).rejects.toMatchObject({ code: 'password_change_required' });
    expect(onPasswordChangeRequired).toHaveBeenCalledTimes(1);
  });

  it('explains a network failure and an answer that is not JSON', async () => {
    const notify = vi.fn();
    const down = createApi({
      fetchImpl: async () => {
        throw new TypeError('Failed to fetch');
      },
      notify,
    });
    await expect(down.get('/session')).rejects.toMatchObject({ code: 'network' });
    expect(notify).toHaveBeenCalledWith('无法连接服务器，请检查网络后重试');

    const proxy = createApi({ fetchImpl: fakeFetch([[502, '<html>Bad Gateway</html>', 'text/html']]), notify });
    await expect(proxy.get('/session')).rejects.toMatchObject({ status: 502, code: 'http_502' });
  });

  it('sends PUT with JSON and the CSRF token (parameters)', async () => {
    const fetchImpl = fakeFetch([[200, { name: 'objection.window_days', value: 20 }]]);
    const api = createApi({ fetchImpl });
    api.setCsrf('t');
    const reply = await api.put('/parameters/objection.window_days', { value: 20 });
    expect(reply.value).toBe(20);
    const call = fetchImpl.calls[0];
    expect(call.init.method).toBe('PUT');
    expect(call.url).toBe('/api/v1/parameters/objection.window_days');
    expect(JSON.parse(call.init.body)).toEqual({ value: 20 });
    expect(call.init.headers['X-CSRF-Token']).toBe('t');
  });

  it('uploads a file as the raw body with the query parameters', async () => {
    const fetchImpl = fakeFetch([[202, { job: 7, state: 'queued' }]]);
    const api = createApi({ fetchImpl });
    api.setCsrf('c');
    const file = new Blob(['a,b\n1,2\n'], { type: 'text/csv' });
    const reply = await api.upload('/imports', { feed: 'tax', file_name: '纳税.csv', as_of: '' }, file);
    expect(reply).toEqual({ job: 7, state: 'queued' });
    const call = fetchImpl.calls[0];
    expect(call.url).toBe(`/api/v1/imports?feed=tax&file_name=${encodeURIComponent('纳税.csv')}`);
    expect(call.init.body).toBe(file);
    expect(call.init.headers['Content-Type']).toBe('application/octet-stream');
    expect(call.init.headers['X-CSRF-Token']).toBe('c');
  });

  it('uploads an attachment as the raw body with its own type, its name and the CSRF token', async () => {
    const record = { id: 1, file_name: '纳税凭证.png', content_type: 'image/png', bytes: 12 };
    const fetchImpl = fakeFetch([
      [200, { user: {}, csrf_token: 'k9' }],
      [201, record],
      [201, { ...record, id: 2 }],
      [415, { error: { code: 'unsupported_type', message: '附件只能是 JPEG、PNG 图片或 PDF 文件' } }],
    ]);
    const notify = vi.fn();
    const api = createApi({ fetchImpl, notify });
    await api.get('/session');
    const png = new Blob([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 13, 10, 26, 10, 1, 2, 3, 4])], { type: 'image/png' });
    const reply = await api.uploadFile('/objections/5/attachments', { name: '纳税凭证.png' }, png);
    expect(reply).toEqual(record);
    const call = fetchImpl.calls[1];
    expect(call.url).toBe(`/api/v1/objections/5/attachments?name=${encodeURIComponent('纳税凭证.png')}`);
    expect(call.init.method).toBe('POST');
    expect(call.init.body).toBe(png);
    expect(call.init.headers['Content-Type']).toBe('image/png');
    expect(call.init.headers['X-CSRF-Token']).toBe('k9');
    expect(call.init.credentials).toBe('same-origin');

    // A file the browser has no type for goes as application/octet-stream.
    await api.uploadFile('/objections/5/attachments', { name: 'scan' }, new Blob(['%PDF-1.4']));
    expect(fetchImpl.calls[2].init.headers['Content-Type']).toBe('application/octet-stream');

    // The server's refusal, quietly: the page shows it beside the file.
    const err = await api
      .uploadFile('/objections/5/attachments', { name: 'a.txt' }, new Blob(['x'], { type: 'text/plain' }), { quiet: true })
      .catch((e) => e);
    expect(err).toMatchObject({ status: 415, code: 'unsupported_type', message: '附件只能是 JPEG、PNG 图片或 PDF 文件' });
    expect(notify).not.toHaveBeenCalled();
  });
});

describe('waitForJob', () => {
  it('polls until the job has finished and reports each state', async () => {
    const fetchImpl = fakeFetch([
      [200, { id: 3, state: 'queued' }],
      [200, { id: 3, state: 'running', progress: '已读取 1000 行' }],
      [200, { id: 3, state: 'succeeded', result: { accepted: 2 } }],
    ]);
    const api = createApi({ fetchImpl });
    const seen = [];
    const job = await waitForJob(api, 3, { onProgress: (j) => seen.push(j.state), sleep: async () => {} });
    expect(job.result).toEqual({ accepted: 2 });
    expect(seen).toEqual(['queued', 'running', 'succeeded']);
    expect(fetchImpl.calls.every((c) => c.url === '/api/v1/jobs/3')).toBe(true);
  });
});
