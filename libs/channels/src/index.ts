export * from './wecom/wecom-crypto';
export * from './wecom/wecom-xml';
export * from './dingtalk/dingtalk-sign';
export * from './text/split-utf8';
