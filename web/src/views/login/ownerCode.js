// The owner's code login, the parts without a page: the resend countdown, the "sent" hint and
// the wait the server names when a code is asked for too soon. Pure functions, tested in Node.

// Whole seconds from `nowMs` until `deadlineMs`, never negative (3.2 s left shows as 4).
export function secondsLeft(deadlineMs, nowMs) {
  if (!deadlineMs) return 0;
  return Math.max(0, Math.ceil((deadlineMs - nowMs) / 1000));
}

// The text of the "get a code" button while the resend interval runs and after it.
export function resendLabel(left, sentBefore = false) {
  if (left > 0) return `${left} 秒后可重新获取`;
  return sentBefore ? '重新获取' : '获取验证码';
}

// "5 分钟" for 300 s; seconds when under a minute or not a whole number of minutes.
export function durationText(seconds) {
  const s = Math.max(0, Math.round(Number(seconds) || 0));
  if (s >= 60 && s % 60 === 0) return `${s / 60} 分钟`;
  return `${s} 秒`;
}

// The server's reply to POST /session/owner-code as the hint under the form.
export function codeSentHint(reply) {
  const where = reply?.phone ? `验证码已发送至 ${reply.phone}` : '验证码已发送';
  return reply?.expires_in_seconds ? `${where}，${durationText(reply.expires_in_seconds)}内有效` : where;
}

// The wait in seconds named by a "too many requests" message ("请 42 秒后再重新获取"), or 0.
export function waitFromMessage(message) {
  const m = /(\d+)\s*秒/.exec(message || '');
  return m ? Number(m[1]) : 0;
}

// A USCC as typed: spaces dropped, letters upper-case (the licence prints them upper-case).
export function normaliseUscc(text) {
  return String(text || '').replace(/\s+/g, '').toUpperCase();
}

// 18 characters of digits and upper-case letters (the server checks the check digit).
export function looksLikeUscc(text) {
  return /^[0-9A-Z]{18}$/.test(normaliseUscc(text));
}
