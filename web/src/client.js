// The application's API client: errors as Element Plus messages, and the two redirects
// (login, forced password change) wired to the router by main.js.
import { ElMessage } from 'element-plus';

import { createApi } from './api.js';

export const redirects = {
  toLogin: () => {},
  toPasswordChange: () => {},
};

export const api = createApi({
  notify: (message) => ElMessage.error({ message, grouping: true, duration: 5000 }),
  onUnauthenticated: () => redirects.toLogin(),
  onPasswordChangeRequired: () => redirects.toPasswordChange(),
});
