// Where the studio window's panels go, and the characters its font atlas holds from the start.
#pragma once

#include <cstddef>

#include "ui/window/studio_panel.h"

namespace cunbo::ui {

// Where the panels go: a 16:9 preview top-left, the controls and the microphone side by side
// under it (taller with more destinations, one health line each), the comments below those;
// products on the right, the orders under them. Every size is multiplied by `scale` (the UI
// scale, ui/window/window_fit.h); on a short window the preview gives way so that the comments
// keep kCommentsMinHeight. Each panel scrolls what does not fit in it.
struct Layout {
  PanelRect top, preview, controls, mic, comments, products, orders;
};

inline constexpr float kCommentsMinHeight = 132;  // at scale 1: the heading and three lines

[[nodiscard]] Layout layout_for(float width, float height, size_t health_lines, float scale = 1);

// Characters put in the atlas before the first frame: the most frequent in Chinese text, in
// comments about produce, and in the surnames buyers are masked to. Without them nearly every
// new comment or buyer brings an unseen character, and each costs an atlas rebuild (~30 ms of
// rasterising on a 2-core laptop, done on a worker thread, plus a swap and texture upload on
// the UI thread); with them rebuilds become rare.
inline constexpr const char* kCommonHanzi =
    "的一是不了人我在有他这为之大来以个中上们到说国和地也子时道出而要于就下得可你年生自会那后能对着事其里所去行过家十用发天如"
    "然作方成者多日都三小军二无同么经法当起与好看学进种将还分此心前面又定见只主没公从知部样现开本已因美外全长点新实最力间两回"
    "它高明正加量几想月东西北南钱买卖货包邮斤块元价便宜贵甜酸辣香鲜果菜米肉蛋鱼鸡油盐糖茶酒水吃喝送快慢收拍单订号码请问谢亲老"
    "板哥姐妹朋友您吗呢吧啊哦嗯哈呀啦嘛喜欢爱真太很非常特别超级棒赞厉害漂亮干净清楚声音画播直链接架库存再次少怎什候哪今昨早晚"
    "午质品牌农产销手工原味土山区村乡镇县城市省份湖江四川云广福建浙安徽河陕甘青宁疆内蒙黑吉辽京津沪渝张王李赵刘陈杨黄周吴徐孙"
    "胡朱林何郭马罗梁宋郑韩唐冯董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范石姚谭廖邹熊金陆郝孔白崔康毛"
    "邱秦史顾侯邵孟龙万段雷汤尹黎易武乔贺赖龚文给让把被比跟向往关但且或虽刚应该需觉认希望记注意放满失红橙绿蓝紫灰粉色尺重克装"
    "袋盒瓶箱件角秒半";


}  // namespace cunbo::ui
