import { useCallback, useEffect, useMemo, useState } from 'react';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { Button, Drawer, Grid, Layout, Menu, Space, Spin, Typography } from 'antd';
import { MenuOutlined } from '@ant-design/icons';
import { setUnauthorizedHandler } from './api/client';
import { AuthContext, can, ConsoleAccount, ROLE_WORDS, signOutEverywhere, whoAmI } from './auth';
import { LoginPage } from './pages/LoginPage';
import { HomePage } from './pages/HomePage';
import { LeadsPage } from './pages/LeadsPage';
import { RankingsPage } from './pages/RankingsPage';
import { SchedulesPage } from './pages/SchedulesPage';
import { UnitsPage } from './pages/UnitsPage';
import { RobotsPage } from './pages/RobotsPage';
import { AccountsPage } from './pages/AccountsPage';

const NAV_ALL = [
  { key: '/', label: '首页', area: 'leads' },
  { key: '/leads', label: '线索台账', area: 'leads' },
  { key: '/rankings', label: '排名与问责', area: 'scoring' },
  { key: '/schedules', label: '日程', area: 'schedules' },
  { key: '/units', label: '单位与成员', area: 'members' },
  { key: '/robots', label: '群机器人与消息', area: 'robots' },
  { key: '/accounts', label: '账号与审计', area: 'self' },
] as const;

function Shell({ account, onSignOut }: { account: ConsoleAccount; onSignOut: () => void }) {
  const nav = useNavigate();
  const loc = useLocation();
  const screens = Grid.useBreakpoint();
  const narrow = !screens.lg;
  const [open, setOpen] = useState(false);
  const NAV = NAV_ALL.filter((n) => can(account, n.area, 'read')).map(({ key, label }) => ({ key, label }));
  const selected = NAV.slice(1).find((n) => loc.pathname.startsWith(n.key))?.key ?? '/';
  const menu = (
    <Menu
      mode={narrow ? 'inline' : 'horizontal'}
      theme={narrow ? 'light' : 'dark'}
      selectedKeys={[selected]}
      items={NAV}
      style={narrow ? undefined : { flex: 1, minWidth: 0 }}
      onClick={(e) => {
        nav(e.key);
        setOpen(false);
      }}
    />
  );
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header style={{ display: 'flex', alignItems: 'center', gap: 16, padding: narrow ? '0 12px' : '0 24px' }}>
        {narrow && <Button type="text" aria-label="菜单" icon={<MenuOutlined style={{ color: '#fff' }} />} onClick={() => setOpen(true)} />}
        <Typography.Text strong style={{ color: '#fff', whiteSpace: 'nowrap', fontSize: 16 }}>
          招商引资助手
        </Typography.Text>
        {narrow ? <div style={{ flex: 1 }} /> : menu}
        <Space wrap={false} style={{ flexShrink: 0, lineHeight: 'normal' }}>
          <Typography.Text style={{ color: '#ddd', maxWidth: narrow ? 140 : 260, whiteSpace: 'nowrap' }} ellipsis>
            {account.displayName}（{ROLE_WORDS[account.role] ?? account.role}）
          </Typography.Text>
          <Button size="small" onClick={onSignOut}>
            退出
          </Button>
        </Space>
      </Layout.Header>
      <Drawer placement="left" open={open} onClose={() => setOpen(false)} width={220} title="功能">
        {menu}
      </Drawer>
      <Layout.Content style={{ padding: narrow ? 8 : 24 }}>
        <Routes>
          <Route path="/" element={<HomePage />} />
          <Route path="/leads" element={<LeadsPage />} />
          <Route path="/leads/:code" element={<LeadsPage />} />
          <Route path="/rankings" element={<RankingsPage />} />
          <Route path="/schedules" element={<SchedulesPage />} />
          <Route path="/units" element={<UnitsPage />} />
          <Route path="/robots" element={<RobotsPage />} />
          <Route path="/accounts" element={<AccountsPage />} />
          <Route path="/login" element={<Navigate to="/" replace />} />
          <Route path="*" element={<Navigate to="/" replace />} />
        </Routes>
      </Layout.Content>
    </Layout>
  );
}

export function ConsoleApp() {
  const [account, setAccount] = useState<ConsoleAccount | null | undefined>(undefined);
  useEffect(() => {
    void whoAmI().then(setAccount);
    setUnauthorizedHandler(() => setAccount(null));
  }, []);
  const signOut = useCallback(async () => {
    await signOutEverywhere();
    setAccount(null);
  }, []);
  const ctx = useMemo(() => ({ account: account ?? null, signOut }), [account, signOut]);
  if (account === undefined) return <Spin fullscreen tip="加载中" />;
  return (
    <AuthContext.Provider value={ctx}>
      {account ? <Shell account={account} onSignOut={() => void signOut()} /> : <LoginPage onSignedIn={setAccount} />}
    </AuthContext.Provider>
  );
}
