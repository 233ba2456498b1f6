// The console as people use it, in headless Chromium: a wrong password is refused in Chinese;
// the admin creates a user, whose first login forces a password change; the regulator sees the
// dashboard's numbers, finds a household and opens its explanation, imports a file with a bad
// row and downloads the refused rows, changes a threshold in the what-if and sees households
// move; the owner, on a phone-sized screen, files an objection; the regulator rejects it in 复核
// with a reason and the owner sees the answer. Screenshots of each page go to --shots.
// Run by web_e2e_test.sh, which prepares the server.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    base: { type: 'string' },
    users: { type: 'string' },
    web: { type: 'string' },
    chromium: { type: 'string', default: '/usr/bin/chromium' },
    shots: { type: 'string' },
  },
});
const require = createRequire(path.join(args.web, 'package.json'));
const { chromium } = require('playwright-core');

const users = JSON.parse(fs.readFileSync(args.users, 'utf8'));
const account = (role) => users.find((u) => u.role === role);
const kTimeout = 30000; // generous: CI runs this beside other tests on two cores

function check(condition, message) {
  if (!condition) throw new Error(message);
}

async function waitForServer() {
  for (let i = 0; i < 100; i++) {
    try {
      const res = await fetch(`${args.base}/api/v1/session`);
      if (res.status === 401) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`服务没有在 ${args.base} 启动`);
}

// A page that records uncaught script errors, which fail the test wherever they happen.
async function newPage(browser, options) {
  const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', ...options });
  context.setDefaultTimeout(kTimeout);
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(e.message));
  page.on('console', (m) => {
    // Refused requests (401 before login, the wrong password) are expected and logged by the
    // browser as "Failed to load resource"; anything else logged as an error is a bug.
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) {
      page.errors.push(m.text());
    }
  });
  return page;
}

async function login(page, role, password) {
  const who = account(role);
  // After a logout the console is already on its login page: no need to load it again.
  if (!page.url().endsWith('/login')) await page.goto(`${args.base}/login`);
  await page.fill('input[name=username]', who.username);
  await page.fill('input[name=password]', password ?? who.password);
  await page.click('[data-test=login-submit]');
}

async function shot(page, name) {
  await page.screenshot({ path: path.join(args.shots, `${name}.png`) });
}

async function pickOption(page, trigger, text) {
  await page.click(trigger);
  await page.locator('.el-select-dropdown__item:visible', { hasText: text }).first().click();
}

const state = {};
const steps = [
  [
    'a wrong password is refused with the server\'s Chinese message',
    async ({ staff }) => {
      await login(staff, 'admin', 'Wrong-password-1');
      const error = staff.locator('[data-test=login-error]');
      await error.waitFor();
      const text = await error.innerText();
      check(text.includes('用户名或密码错误'), `登录错误提示是“${text}”`);
      check(text.includes('再错 4 次将锁定账号'), `没有提示剩余次数：“${text}”`);
      await shot(staff, '01-login-refused');
    },
  ],
  [
    'the admin creates a user, whose first login must change the password',
    async ({ staff }) => {
      await login(staff, 'admin');
      await staff.waitForURL('**/dashboard');
      await staff.click('.el-menu-item:has-text("系统管理")');
      await staff.click('[data-test=new-user]');
      const dialog = staff.locator('.el-dialog', { hasText: '新建用户' });
      await dialog.locator('input').first().fill('e2e_inspector');
      await dialog.locator('input').nth(1).fill('区市场监管局 检查员');
      await dialog.locator('input[placeholder^="区划代码前缀"]').fill('500113');
      await dialog.locator('button:has-text("保存")').click();
      const initial = await staff.locator('input[data-test=initial-password]').inputValue();
      check(initial.length >= 8, `初始密码是“${initial}”`);
      await shot(staff, '02-admin-initial-password');
      await staff.click('button:has-text("我已记下")');
      await staff.click('[data-test=logout]');
      await staff.waitForURL('**/login');

      await staff.fill('input[name=username]', 'e2e_inspector');
      await staff.fill('input[name=password]', initial);
      await staff.click('[data-test=login-submit]');
      await staff.waitForURL('**/password');
      await staff.locator('text=请先修改密码后继续使用').waitFor();
      await staff.fill('input[name=old_password]', initial);
      await staff.fill('input[name=new_password]', 'e2e_inspector-1');
      await staff.fill('input[name=new_password_again]', 'e2e_inspector-1');
      await staff.click('button:has-text("确认修改")');
      // The server refuses a password that contains the username, in Chinese.
      await staff.locator('.el-message--error').waitFor();
      const refusal = await staff.locator('.el-message--error').innerText();
      check(/用户名/.test(refusal), `弱密码的提示是“${refusal}”`);
      await staff.fill('input[name=new_password]', 'Qiye#2026-jc');
      await staff.fill('input[name=new_password_again]', 'Qiye#2026-jc');
      await staff.click('button:has-text("确认修改")');
      await staff.waitForURL('**/dashboard');
      await staff.click('[data-test=logout]');
      await staff.waitForURL('**/login');
    },
  ],
  [
    'the regulator sees the dashboard with the indicators of the district',
    async ({ staff }) => {
      await login(staff, 'regulator');
      await staff.waitForURL('**/dashboard');
      const stats = await staff.evaluate(() =>
        fetch('/api/v1/stats?by=township').then((r) => r.json()),
      );
      const stock = stats.total.stock.toLocaleString('en-US');
      await staff.locator('[data-test=kpi-stock] .kpi-value', { hasText: stock }).waitFor();
      const news = stats.total.new_registrations.toLocaleString('en-US');
      await staff.locator('[data-test=kpi-new] .kpi-value', { hasText: news }).waitFor();
      await staff.locator('text=巴南区个体工商户数据看板').waitFor();
      check((await staff.locator('canvas').count()) >= 3, '看板的图表没有画出来');
      await staff.waitForTimeout(600); // the charts' entry animation
      await shot(staff, '03-dashboard');
      // The township chart is also a table.
      await staff.locator('.chart-card', { hasText: '乡镇（街道）' }).locator('text=表格').click();
      const first = stats.groups[0].name;
      await staff.locator('.chart-card .el-table', { hasText: first }).waitFor();
    },
  ],
  [
    'the regulator finds a household and reads why it has its tier',
    async ({ staff }) => {
      const found = await staff.evaluate(() =>
        fetch('/api/v1/households?tier=growth&status=active&limit=1').then((r) => r.json()),
      );
      check(found.items.length === 1, '没有成长型的户可查');
      const uscc = found.items[0].uscc;
      state.uscc = uscc;
      await staff.click('.el-menu-item:has-text("个体工商户")');
      await staff.waitForURL('**/households');
      await staff.fill('input[data-test=search-q]', uscc);
      await staff.click('[data-test=search-submit]');
      const row = staff.locator('[data-test=households-table] .el-table__row', { hasText: uscc });
      await row.waitFor();
      check((await staff.locator('[data-test=households-table] .el-table__row').count()) === 1,
        '按代码查询应只有一户');
      await row.click();
      const drawer = staff.locator('.el-drawer');
      await drawer.locator('text=登记事项').waitFor();
      // Personal data arrives masked.
      await drawer.locator('text=身份证号、电话、经营场所已脱敏').waitFor();
      await drawer.locator('.el-tabs__item', { hasText: '分型解释' }).click();
      const summary = drawer.locator('[data-test=explanation-summary]');
      await summary.waitFor();
      const text = await summary.innerText();
      check(text.includes('判定为成长型'), `解释摘要是“${text}”`);
      await drawer.locator('text=命中').first().waitFor();
      await shot(staff, '04-household-explanation');
      await staff.keyboard.press('Escape');
    },
  ],
  [
    'the regulator imports a file with a bad row and downloads the refused rows',
    async ({ staff }) => {
      await staff.click('.el-menu-item:has-text("数据导入")');
      await staff.waitForURL('**/imports');
      await pickOption(staff, '[data-test=feed]', '纳税信息');
      const csv = [
        '统一社会信用代码,所属年度,实缴税额(元),申报销售额(元),纳税信用等级',
        `${state.uscc},2023,1200.00,90000.00,B`,
        `${state.uscc},2022,-5,1,A`,
      ].join('\r\n');
      await staff.setInputFiles('input[data-test=file]', {
        name: '纳税更正.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(csv, 'utf8'),
      });
      await staff.click('[data-test=upload]');
      const job = staff.locator('[data-test=import-job]');
      await job.locator('text=完成').waitFor();
      await job.locator('.ok', { hasText: '1' }).waitFor();
      await job.locator('.bad', { hasText: '1' }).waitFor();
      await shot(staff, '05-import-result');
      const [download] = await Promise.all([
        staff.waitForEvent('download'),
        job.locator('[data-test=rejects-csv]').click(),
      ]);
      const text = fs.readFileSync(await download.path(), 'utf8');
      check(text.includes('错误原因') && text.includes('不能为负数'), `下载的被拒绝行是：${text}`);
    },
  ],
  [
    'the regulator raises a threshold in the what-if and sees households move',
    async ({ staff }) => {
      await staff.click('.el-menu-item:has-text("分型管理")');
      await staff.locator('[data-test=runs] .el-table__row').first().click();
      await staff.waitForURL(/\/tiers\/\d+$/);
      await staff.fill('input[data-test=param-growth_revenue_min]', '¥50,000');
      await staff.click('[data-test=simulate]');
      const matrix = staff.locator('[data-test=transition-matrix]');
      await matrix.waitFor();
      // Households that move up are drawn in green (class "up"), off the diagonal.
      check((await matrix.locator('.up').count()) >= 1, '降低门槛后应有户从生存型升为成长型');
      const moved = await staff.locator('p', { hasText: '户改变类型' }).innerText();
      check(!/共有 0 户/.test(moved), `模拟结果是“${moved}”`);
      await matrix.scrollIntoViewIfNeeded();
      await shot(staff, '06-what-if');
    },
  ],
  [
    'the owner, on a phone, reads the tier and files an objection',
    async ({ phone }) => {
      await login(phone, 'owner');
      await phone.waitForURL('**/owner');
      const summary = phone.locator('[data-test=owner-summary]');
      await summary.waitFor();
      check((await summary.innerText()).startsWith('判定为'), '经营者看不到分型说明');
      await shot(phone, '07-owner-tier');
      await pickOption(phone, '[data-test=want]', '发展型');
      await phone.fill('textarea[data-test=claim]', '2025 年营业收入实际为 120 万元，有纳税凭证。');
      await phone.click('[data-test=file-objection]');
      const mine = phone.locator('[data-test=my-objections]');
      await mine.locator('text=待处理').waitFor();
      await mine.locator('text=2025 年营业收入实际为 120 万元').waitFor();
      await mine.scrollIntoViewIfNeeded();
      await shot(phone, '08-owner-objection');
    },
  ],
  [
    'the regulator rejects the objection in 复核 with a reason',
    async ({ staff }) => {
      await staff.click('.el-menu-item:has-text("复核")');
      await staff.waitForURL('**/review');
      const row = staff.locator('[data-test=objections] .el-table__row', { hasText: '发展型' }).first();
      await row.waitFor();
      await row.click();
      const detail = staff.locator('[data-test=objection-detail]');
      await detail.locator('text=2025 年营业收入实际为 120 万元').waitFor();
      await staff.locator('[data-test=explanation-summary]').waitFor();
      await detail.locator('.el-radio', { hasText: '驳回' }).click();
      await staff.fill('textarea[data-test=decision-reason]', '税务数据显示 2025 年营业收入未达 100 万元。');
      await staff.click('[data-test=decide]');
      await staff.locator('.el-message--success', { hasText: '已裁定' }).waitFor();
      await detail.locator('text=税务数据显示').waitFor();
      await shot(staff, '09-review-decided');
    },
  ],
  [
    'the owner sees the answer',
    async ({ phone }) => {
      await phone.reload();
      const mine = phone.locator('[data-test=my-objections]');
      await mine.locator('text=已驳回').waitFor();
      await mine.locator('text=税务数据显示 2025 年营业收入未达 100 万元').waitFor();
    },
  ],
];

await waitForServer();
const browser = await chromium.launch({
  executablePath: args.chromium,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
const pages = {
  staff: await newPage(browser, { viewport: { width: 1400, height: 900 } }),
  phone: await newPage(browser, {
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
  }),
};

let passed = 0;
let failed = 0;
for (const [name, run] of steps) {
  const started = Date.now();
  try {
    await run(pages);
    const errors = [...pages.staff.errors, ...pages.phone.errors];
    check(errors.length === 0, `页面脚本错误：${errors.join('；')}`);
    passed++;
    console.log(`ok   ${name} (${Date.now() - started} ms)`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}: ${e.message.split('\n')[0]}`);
    for (const [who, page] of Object.entries(pages)) {
      await shot(page, `failed-${passed + failed}-${who}`).catch(() => {});
      page.errors.length = 0;
    }
  }
}
await browser.close();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
