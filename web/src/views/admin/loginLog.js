// 登录日志: the audit records of sign-ins (action session.login) in words. The reason codes are
// the server's (routes_session.cc, routes_owner.cc); an unknown one is shown as it is.

export const kLoginReasons = {
  bad_password: '密码错误',
  unknown_user: '用户名不存在',
  disabled: '账号已停用',
  locked: '账号锁定期间尝试登录',
  locked_now: '密码连续错误，账号被锁定',
  bad_code: '验证码错误或已失效',
  name_mismatch: '统一社会信用代码与经营者姓名不匹配',
  unknown_household: '统一社会信用代码不存在',
};

export const kLoginMethods = {
  password: '密码',
  sms_code: '短信验证码',
};

function detailObject(detail) {
  if (detail && typeof detail === 'object') return detail;
  if (typeof detail === 'string' && detail.startsWith('{')) {
    try {
      return JSON.parse(detail);
    } catch {
      return {};
    }
  }
  return {};
}

// One audit item as a row of the login log.
export function loginRow(item) {
  const d = detailObject(item.detail);
  const ok = item.result === 'ok';
  const reason = d.reason ? kLoginReasons[d.reason] || String(d.reason) : '';
  return {
    id: item.id,
    at: item.at,
    account: item.actor,
    ip: item.ip,
    ok,
    result: ok ? '成功' : item.result === 'denied' ? '拒绝' : '失败',
    method: kLoginMethods[d.method || 'password'] || String(d.method),
    reason: ok ? '' : reason || '—',
  };
}
