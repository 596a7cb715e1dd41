export * from './wecom/wecom-crypto';
export * from './wecom/wecom-xml';
export * from './dingtalk/dingtalk-sign';
export * from './dingtalk/dingtalk-config';
export * from './text/split-utf8';
export * from './text/markdown-escape';
