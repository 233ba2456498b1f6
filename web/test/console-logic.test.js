import { describe, expect, it } from 'vitest';

import { regionQuery } from '../src/regionFilter.js';
import { kLoginReasons, loginRow } from '../src/views/admin/loginLog.js';
import {
  codeSentHint,
  durationText,
  looksLikeUscc,
  normaliseUscc,
  resendLabel,
  secondsLeft,
  waitFromMessage,
} from '../src/views/login/ownerCode.js';

describe('owner code login', () => {
  it('counts the resend interval down in whole seconds', () => {
    const start = 1_000_000;
    const deadline = start + 60_000;
    expect(secondsLeft(deadline, start)).toBe(60);
    expect(secondsLeft(deadline, start + 200)).toBe(60);
    expect(secondsLeft(deadline, start + 1000)).toBe(59);
    expect(secondsLeft(deadline, start + 59_001)).toBe(1);
    expect(secondsLeft(deadline, start + 60_000)).toBe(0);
    expect(secondsLeft(deadline, start + 90_000)).toBe(0);
    expect(secondsLeft(0, start)).toBe(0);
  });

  it('labels the button while waiting and after', () => {
    expect(resendLabel(42)).toBe('42 秒后可重新获取');
    expect(resendLabel(0)).toBe('获取验证码');
    expect(resendLabel(0, true)).toBe('重新获取');
  });

  it('says where the code went and how long it holds', () => {
    expect(codeSentHint({ sent: true, phone: '138****1234', expires_in_seconds: 300 })).toBe(
      '验证码已发送至 138****1234，5 分钟内有效',
    );
    expect(codeSentHint({ phone: '138****1234', expires_in_seconds: 90 })).toBe(
      '验证码已发送至 138****1234，90 秒内有效',
    );
    expect(codeSentHint({})).toBe('验证码已发送');
    expect(durationText(600)).toBe('10 分钟');
    expect(durationText(45)).toBe('45 秒');
  });

  it('reads the wait from the server\'s message', () => {
    expect(waitFromMessage('验证码已发送，请 42 秒后再重新获取')).toBe(42);
    expect(waitFromMessage('操作过于频繁，请一分钟后再试')).toBe(0);
    expect(waitFromMessage(undefined)).toBe(0);
  });

  it('tidies a typed USCC', () => {
    expect(normaliseUscc(' 92500113 ma5u0xyz1k ')).toBe('92500113MA5U0XYZ1K');
    expect(looksLikeUscc('92500113ma5u0xyz1k')).toBe(true);
    expect(looksLikeUscc('92500113')).toBe(false);
    expect(looksLikeUscc('92500113MA5U0XYZ1-')).toBe(false);
  });
});

describe('login log', () => {
  it('turns audit records of sign-ins into rows in Chinese', () => {
    expect(
      loginRow({ id: 9, at: '2026-11-23T09:00:00+08:00', actor: 'demo_admin', ip: '127.0.0.1',
        result: 'failed', detail: { reason: 'bad_password' } }),
    ).toEqual({
      id: 9,
      at: '2026-11-23T09:00:00+08:00',
      account: 'demo_admin',
      ip: '127.0.0.1',
      ok: false,
      result: '失败',
      method: '密码',
      reason: '密码错误',
    });
    const owner = loginRow({ id: 10, actor: '经营者 92500113MA5U0XYZ1K', result: 'failed',
      detail: { method: 'sms_code', reason: 'bad_code' } });
    expect(owner.method).toBe('短信验证码');
    expect(owner.reason).toBe('验证码错误或已失效');
    const ok = loginRow({ id: 11, actor: 'x', result: 'ok', detail: { method: 'sms_code' } });
    expect(ok).toMatchObject({ ok: true, result: '成功', method: '短信验证码', reason: '' });
  });

  it('knows every reason the server writes and shows an unknown one as it is', () => {
    for (const r of ['bad_password', 'unknown_user', 'disabled', 'locked', 'locked_now', 'bad_code',
      'name_mismatch', 'unknown_household']) {
      expect(kLoginReasons[r]).toMatch(/[\u4e00-\u9fa5]/);
    }
    expect(loginRow({ result: 'failed', detail: { reason: 'new_reason' } }).reason).toBe('new_reason');
    expect(loginRow({ result: 'failed', detail: '{"reason":"locked"}' }).reason).toBe('账号锁定期间尝试登录');
    expect(loginRow({ result: 'failed', detail: {} }).reason).toBe('—');
  });
});

describe('region tree', () => {
  it('filters by region for districts and above, by township for townships', () => {
    expect(regionQuery('50')).toEqual({ region: '50', township: '' });
    expect(regionQuery('500113')).toEqual({ region: '500113', township: '' });
    expect(regionQuery('500113002')).toEqual({ region: '', township: '500113002' });
    expect(regionQuery('')).toEqual({ region: '', township: '' });
  });
});
