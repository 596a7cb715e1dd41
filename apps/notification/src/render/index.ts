/**
 * Rendering the neutral message model (`RichMessage` in @zs/contracts) for each target.
 * Pure functions, no I/O: DingTalk senders import `renderDingtalkMarkdown` from here.
 */
export {
  renderWecomMarkdown,
  renderWecomMarkdownV2,
  renderWecomText,
  renderDingtalkMarkdown,
  renderPlainText,
  mentionsOutsideMarkdown,
  hasTable,
} from './render';
export type { RenderOptions, DingtalkMarkdown } from './render';
export { packChunks, appendToLast } from './pack';
export type { Chunk } from './pack';
