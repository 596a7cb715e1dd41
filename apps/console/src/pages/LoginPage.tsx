import { useEffect, useState } from 'react';
import { Alert, Button, Card, Form, Input, Tabs, Typography } from 'antd';
import { ConsoleAccount, signInWithPassword, signInWithToken, SignInResult } from '../auth';

/** 登录: an account's password, or a token (the bootstrap ADMIN_TOKEN or a personal API token). */
export function LoginPage({ onSignedIn }: { onSignedIn: (a: ConsoleAccount) => void }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [platforms, setPlatforms] = useState<{ wecom: boolean; dingtalk: boolean }>({ wecom: false, dingtalk: false });
  useEffect(() => {
    // 企业微信登录 and 钉钉登录 are offered when the gateway has them configured (it then answers with a redirect).
    const offered = (kind: 'wecom' | 'dingtalk') =>
      fetch(`/api/auth/${kind}/login`, { redirect: 'manual', credentials: 'same-origin' })
        .then((r) => r.type === 'opaqueredirect' || (r.status >= 300 && r.status < 400))
        .catch(() => false);
    void Promise.all([offered('wecom'), offered('dingtalk')]).then(([wecom, dingtalk]) => setPlatforms({ wecom, dingtalk }));
  }, []);
  const run = async (p: Promise<SignInResult>) => {
    setBusy(true);
    setError(null);
    const r = await p;
    setBusy(false);
    if (r.ok) onSignedIn(r.account);
    else setError(r.message);
  };
  return (
    <div style={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', background: '#f3f4f6', padding: 12 }}>
      <Card style={{ width: 380, maxWidth: '100%' }}>
        <Typography.Title level={3} style={{ textAlign: 'center' }}>
          招商引资助手 · 管理控制台
        </Typography.Title>
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
        <Tabs
          items={[
            {
              key: 'password',
              label: '账号登录',
              children: (
                <Form layout="vertical" onFinish={(v: { username: string; password: string }) => run(signInWithPassword(v.username, v.password))}>
                  <Form.Item name="username" label="用户名" rules={[{ required: true, message: '请输入用户名' }]}>
                    <Input autoComplete="username" />
                  </Form.Item>
                  <Form.Item name="password" label="密码" rules={[{ required: true, message: '请输入密码' }]}>
                    <Input.Password autoComplete="current-password" />
                  </Form.Item>
                  <Button type="primary" htmlType="submit" block loading={busy} data-testid="password-login">
                    登录
                  </Button>
                  {platforms.wecom && (
                    <Button block style={{ marginTop: 12 }} href="/api/auth/wecom/login" data-testid="wecom-login">
                      企业微信登录
                    </Button>
                  )}
                  {platforms.dingtalk && (
                    <Button block style={{ marginTop: 12 }} href="/api/auth/dingtalk/login" data-testid="dingtalk-login">
                      钉钉登录
                    </Button>
                  )}
                </Form>
              ),
            },
            {
              key: 'token',
              label: '令牌登录',
              children: (
                <Form layout="vertical" onFinish={(v: { token: string }) => run(signInWithToken(v.token))}>
                  <Form.Item name="token" label="管理令牌或个人 API 令牌" rules={[{ required: true, message: '请粘贴令牌' }]} extra="令牌只保存在本浏览器标签页中，关闭即失效。">
                    <Input.Password autoComplete="off" data-testid="token-input" />
                  </Form.Item>
                  <Button type="primary" htmlType="submit" block loading={busy} data-testid="token-login">
                    登录
                  </Button>
                </Form>
              ),
            },
          ]}
        />
      </Card>
    </div>
  );
}
