/** 手机版式（≤600 px）的中文文案：折叠的页头、底部抽屉、生活圈的“定位我”和最近设施。 */
export const phoneZhCN = {
  'phone.menu': '菜单',
  'phone.layers': '图层与图例',
  'phone.closeLayers': '收起图层',
  'phone.details': '详情',
  'phone.figures': '全街道概况',
  'phone.locate': '定位我',
  'phone.locating': '正在定位…',
  'phone.locateFailed': '无法获取您的位置（{reason}），可以点击地图选择起点',
  'phone.locateUnsupported': '此浏览器不支持定位，可以点击地图选择起点',
  'phone.youAreHere': '您的位置（精度约 {acc} 米）',
  'phone.nearest': '最近的设施',
  'phone.nearestPick': '选择设施类别',
  'phone.nearestNone': '步行范围内没有“{cat}”',
  'phone.nearestResult': '最近的{cat}：{name}，步行约 {m} 分钟（{d} 米）',
  'phone.start': '点击地图或“定位我”，查看 5/10/15 分钟步行范围',
} as const;
