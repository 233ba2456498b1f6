import 'element-plus/dist/index.css';
import './style.css';

import * as Icons from '@element-plus/icons-vue';
import ElementPlus from 'element-plus';
import zhCn from 'element-plus/es/locale/lang/zh-cn';
import { createApp } from 'vue';

import App from './App.vue';
import { redirects } from './client.js';
import { router } from './router.js';
import { clearSession, session } from './session.js';

redirects.toLogin = () => {
  clearSession();
  const here = router.currentRoute.value;
  if (here.path !== '/login') {
    router.push({ path: '/login', query: here.fullPath !== '/' ? { redirect: here.fullPath } : {} });
  }
};
redirects.toPasswordChange = () => {
  if (session.user) session.user.must_change_password = true;
  router.push('/password');
};

const app = createApp(App);
app.use(ElementPlus, { locale: zhCn });
for (const [name, component] of Object.entries(Icons)) app.component(name, component);
app.use(router);
app.mount('#app');
