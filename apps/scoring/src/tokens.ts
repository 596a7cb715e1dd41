/** Injection tokens local to scoring. */
export const POLICY = Symbol('POLICY');
export const NAMES = Symbol('NAMES');
/** DingTalk app robot code for 1:1 notices (DINGTALK_ROBOT_CODE, else DINGTALK_CLIENT_ID); null: WeCom only. */
export const DINGTALK_ROBOT_CODE = Symbol('DINGTALK_ROBOT_CODE');
