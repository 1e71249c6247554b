/**
 * System CJK font stack. The machines that run GridAtlas may have no internet, so no web fonts:
 * macOS has PingFang, Windows YaHei, Linux Noto CJK or WenQuanYi.
 */
export const CJK_FONT_STACK =
  '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Noto Sans SC", "WenQuanYi Micro Hei", "Source Han Sans SC", sans-serif';
