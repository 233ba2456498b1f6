// Pages and who may open them. The server enforces roles and region scope on every call;
// the roles here only decide what the menu shows and where a user lands.
import { createRouter, createWebHistory } from 'vue-router';

import AppLayout from './components/AppLayout.vue';
import { homeFor, loadSession, session } from './session.js';

// The staff console's pages, in menu order.
export const kConsolePages = [
  {
    path: 'dashboard',
    title: '首页',
    icon: 'DataBoard',
    roles: ['regulator', 'admin'],
    component: () => import('./views/dashboard/DashboardView.vue'),
  },
  {
    path: 'households',
    title: '个体工商户',
    icon: 'Shop',
    roles: ['regulator', 'liaison'],
    component: () => import('./views/households/HouseholdsView.vue'),
  },
  {
    path: 'imports',
    title: '数据导入',
    icon: 'Upload',
    roles: ['regulator', 'department'],
    component: () => import('./views/imports/ImportsView.vue'),
  },
  {
    path: 'tiers',
    title: '分型管理',
    icon: 'Histogram',
    roles: ['regulator'],
    component: () => import('./views/tiers/TierRunsView.vue'),
  },
  {
    path: 'review',
    title: '复核',
    icon: 'Stamp',
    roles: ['regulator'],
    component: () => import('./views/review/ReviewView.vue'),
  },
  {
    path: 'reports',
    title: '统计报告',
    icon: 'Document',
    roles: ['regulator', 'admin'],
    component: () => import('./views/reports/ReportsView.vue'),
  },
  {
    path: 'admin',
    title: '系统管理',
    icon: 'Setting',
    roles: ['admin'],
    component: () => import('./views/admin/AdminView.vue'),
  },
];

export function menuFor(user) {
  if (!user) return [];
  return kConsolePages.filter((p) => p.roles.includes(user.role));
}

const routes = [
  {
    path: '/login',
    component: () => import('./views/login/LoginView.vue'),
    meta: { public: true, title: '登录' },
  },
  {
    path: '/password',
    component: () => import('./views/login/PasswordView.vue'),
    meta: { title: '修改密码' },
  },
  {
    path: '/owner',
    component: () => import('./views/owner/OwnerView.vue'),
    meta: { roles: ['owner'], title: '我的个体工商户' },
  },
  {
    path: '/',
    component: AppLayout,
    children: [
      ...kConsolePages.map((p) => ({
        path: p.path,
        component: p.component,
        meta: { roles: p.roles, title: p.title, menu: `/${p.path}` },
      })),
      {
        path: 'tiers/:id(\\d+)',
        component: () => import('./views/tiers/TierRunDetail.vue'),
        props: true,
        meta: { roles: ['regulator'], title: '分型批次', menu: '/tiers' },
      },
    ],
  },
  { path: '/:rest(.*)*', redirect: '/' },
];

export const router = createRouter({
  history: createWebHistory(),
  routes,
});

router.beforeEach(async (to) => {
  if (!session.loaded) await loadSession();
  const user = session.user;
  if (to.meta.public) {
    return user && to.path === '/login' && !user.must_change_password ? homeFor(user) : true;
  }
  if (!user) {
    return { path: '/login', query: to.fullPath !== '/' ? { redirect: to.fullPath } : {} };
  }
  if (user.must_change_password && to.path !== '/password') return '/password';
  const roles = to.meta.roles;
  if (to.path === '/' || (roles && !roles.includes(user.role))) return homeFor(user);
  return true;
});

router.afterEach((to) => {
  document.title = to.meta.title ? `${to.meta.title} - 个体工商户服务平台` : '个体工商户服务平台';
});
