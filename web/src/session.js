// The signed-in user, shared by every page. `load` asks the server once per page load;
// afterwards login, logout and the password change keep it current.
import { reactive } from 'vue';

import { api } from './client.js';

export const session = reactive({
  loaded: false,
  user: null,
});

export async function loadSession() {
  try {
    const reply = await api.get('/session', undefined, { quiet: true });
    session.user = reply.user;
  } catch {
    session.user = null;
  }
  session.loaded = true;
  return session.user;
}

export async function login(username, password) {
  const reply = await api.post('/session/login', { username, password }, { quiet: true });
  session.user = { ...reply.user };
  if (reply.password_expired) session.user.must_change_password = true;
  session.loaded = true;
  return session.user;
}

// The owner portal's sign-in: a one-time code sent by SMS to the phone registered for the
// household. The reply says where it went (masked) and how long it holds.
export function requestOwnerCode(uscc, operatorName) {
  return api.post('/session/owner-code', { uscc, operator_name: operatorName }, { quiet: true });
}

export async function ownerLogin(uscc, operatorName, code) {
  const reply = await api.post('/session/owner-login', { uscc, operator_name: operatorName, code },
    { quiet: true });
  session.user = { ...reply.user };
  session.loaded = true;
  return session.user;
}

export async function logout() {
  try {
    await api.post('/session/logout', {}, { quiet: true });
  } finally {
    session.user = null;
    api.setCsrf('');
  }
}

export async function changePassword(oldPassword, newPassword) {
  const reply = await api.post('/session/password', {
    old_password: oldPassword,
    new_password: newPassword,
  });
  if (reply.user) session.user = reply.user;
  else if (session.user) session.user.must_change_password = false;
}

// Forget the user without asking the server (it already said the session is gone).
export function clearSession() {
  session.user = null;
  api.setCsrf('');
}

// The page each role starts on.
export function homeFor(user) {
  switch (user?.role) {
    case 'regulator':
    case 'admin':
      return '/dashboard';
    case 'department':
      return '/imports';
    case 'owner':
      return '/owner';
    case 'liaison':
      return '/households';
    default:
      return '/login';
  }
}
