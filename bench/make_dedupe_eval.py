"""Generate bench/data/dedupe_eval.jsonl, the labelled evaluation set for duplicate detection (查重).

    .venv/bin/python bench/make_dedupe_eval.py

Deterministic (fixed seed, standard library only): ~400 original customers (~55% Chinese) from
hand-written pools, ~400 noisy re-entries of ~70% of them and ~250 look-alike non-duplicates.
bench/data/README.md describes the format. Before writing, the labels are checked with small
reference normalisers written here from the product requirement (phone, e-mail, registered domain,
USCC, company name + city), independent of the product's matcher: each re-entry's "links" must be
exactly the strong identifiers it shares with its original, and no query may share one with any
other entity.
"""

import json
import random
import re
import unicodedata
from collections import Counter
from pathlib import Path

SEED = 20250611
OUT = Path(__file__).resolve().parent / "data" / "dedupe_eval.jsonl"
N_CN, N_EN = 220, 180  # original customers
N_REENTRY_ENTITIES, N_DOUBLE, N_HARD = 280, 120, 26  # re-entered once / twice / name-only
LOOKALIKES = [
    ("cn", "same_brand_other_city", 35), ("cn", "similar_brand_same_city", 40),
    ("cn", "same_person_name", 25), ("cn", "shared_freemail_domain", 25),
    ("cn", "landline_same_local_number", 12), ("en", "same_brand_other_city", 28),
    ("en", "shared_words", 33), ("en", "brand_extended_other_city", 12),
    ("en", "same_person_name", 20), ("en", "shared_freemail_domain", 20),
]  # fmt: skip
rng = random.Random(SEED)


def table(s):
    return [tuple(x.strip().split("/")) for x in s.split(";") if x.strip()]


# ---------------------------------------------------------------- ingredient pools
# fmt: off
# brand characters with their toneless pinyin; TYPO_ONLY are pinyin-IME slips (same pinyin)
BRAND_CHARS = dict(table(
    "华/hua;联/lian;星/xing;辰/chen;鑫/xin;达/da;宏/hong;远/yuan;博/bo;创/chuang;海/hai;天/tian;恒/heng;瑞/rui;金/jin;银/yin;长/chang;"
    "乐/le;万/wan;众/zhong;汉/han;诚/cheng;信/xin;润/run;优/you;锦/jin;绿/lv;宝/bao;凯/kai;飞/fei;腾/teng;讯/xun;维/wei;新/xin;康/kang;"
    "健/jian;嘉/jia;亿/yi;晟/sheng;昊/hao;睿/rui;俊/jun;宇/yu;智/zhi;卓/zhuo;祥/xiang;航/hang;立/li;蓝/lan;云/yun;盛/sheng;泰/tai;丰/feng;"
    "龙/long;兴/xing;东/dong;方/fang;德/de;安/an;富/fu;通/tong;和/he;美/mei;佳/jia;永/yong;正/zheng;光/guang;明/ming;思/si;源/yuan;力/li;"
    "鸿/hong;顺/shun;益/yi;峰/feng;晨/chen;汇/hui;启/qi;元/yuan;普/pu;易/yi;捷/jie;奥/ao;迪/di;森/sen;林/lin;朗/lang;越/yue;拓/tuo;展/zhan;"
    "铭/ming;泽/ze;鼎/ding;弘/hong;聚/ju;尚/shang;辉/hui;鹏/peng;圣/sheng;凌/ling;皓/hao"))
TYPO_ONLY = dict(table(
    "臣/chen;陈/chen;欣/xin;心/xin;惠/hui;慧/hui;大/da;红/hong;园/yuan;锐/rui;胜/sheng;锋/feng;枫/feng;隆/long;铠/kai;藤/teng;成/cheng;"
    "城/cheng;程/cheng;劲/jin;今/jin;保/bao;菲/fei;非/fei;桦/hua;骅/hua;连/lian;莲/lian;波/bo;柏/bo;添/tian;田/tian;衡/heng;亨/heng;"
    "寅/yin;昌/chang;常/chang;中/zhong;翰/han;瀚/han;友/you;悠/you;迅/xun;勋/xun;伟/wei;威/wei;微/wei;建/jian;剑/jian;家/jia;加/jia;"
    "艺/yi;义/yi;浩/hao;豪/hao;君/jun;雨/yu;语/yu;羽/yu;志/zhi;致/zhi;翔/xiang;行/hang;利/li;丽/li;兰/lan;澜/lan;芸/yun;太/tai;冬/dong;"
    "芳/fang;得/de;福/fu;合/he;禾/he;勇/yong;政/zheng;广/guang;鸣/ming;斯/si;琦/qi;奇/qi;浦/pu;杰/jie;洁/jie;澳/ao;笛/di;霖/lin;琳/lin;"
    "悦/yue;跃/yue;择/ze;顶/ding;巨/ju;上/shang;玲/ling;朋/peng"))
LATIN_BRANDS = table("e家/ejia;365/365;ABC/abc;i尚/ishang;U速/usu;e通/etong;K12/k12;V动/vdong")
# word in the name / English / CRM industry label / domain slug
INDUSTRIES = table(
    "科技/Technology/信息技术/tech;信息技术/Information Technology/信息技术/it;网络科技/Network Technology/互联网/net;软件/Software/软件/soft;"
    "电子/Electronics/电子制造/dz;智能科技/Intelligent Technology/人工智能/ai;商贸/Trading/批发零售/sm;贸易/Trading/进出口贸易/trade;"
    "物流/Logistics/交通物流/wl;供应链管理/Supply Chain Management/交通物流/scm;医疗器械/Medical Devices/医疗器械/med;"
    "生物科技/Biotechnology/生物医药/bio;医药/Pharmaceutical/生物医药/yy;教育科技/Education Technology/教育培训/edu;"
    "文化传媒/Culture Media/文化传媒/media;广告/Advertising/广告营销/ad;建筑工程/Construction Engineering/建筑工程/jz;"
    "装饰工程/Decoration Engineering/建筑装饰/zs;环保科技/Environmental Technology/节能环保/hb;新材料/New Materials/新材料/xcl;"
    "食品/Food/食品饮料/food;餐饮管理/Catering Management/餐饮/cy;企业管理咨询/Management Consulting/咨询服务/zx;"
    "机械设备/Machinery/机械制造/jx;化工/Chemical/化工/hg;服装/Garment/纺织服装/fz;家居/Home Furnishing/家居建材/home;"
    "汽车服务/Auto Service/汽车/auto;新能源/New Energy/新能源/energy;电气/Electric/电气设备/dq;数据科技/Data Technology/大数据/data;"
    "实业/Industrial/综合/sy;包装/Packaging/包装印刷/bz;人力资源/Human Resources/人力资源/hr;物业管理/Property Management/物业服务/wy")
# city / province / pinyin / abbreviation / area code / local digits / weight / district codes (USCC)
CN_CITIES = [(c, p, py, ab, ac, int(n), int(w), d.split(",")) for c, p, py, ab, ac, n, w, d in table(
    "北京/北京/beijing/bj/010/8/10/110105,110108,110101,110106;上海/上海/shanghai/sh/021/8/10/310115,310104,310112;"
    "深圳/广东/shenzhen/sz/0755/8/8/440300,440304,440305,440306;广州/广东/guangzhou/gz/020/8/6/440106,440104,440111;"
    "杭州/浙江/hangzhou/hz/0571/8/6/330106,330108,330110;南京/江苏/nanjing/nj/025/8/4/320105,320106;苏州/江苏/suzhou/su/0512/8/4/320505,320508;"
    "成都/四川/chengdu/cd/028/8/4/510107,510104;武汉/湖北/wuhan/wh/027/8/4/420111,420106;西安/陕西/xian/xa/029/8/3/610131,610113;"
    "天津/天津/tianjin/tj/022/8/3/120116,120104;重庆/重庆/chongqing/cq/023/8/3/500108,500112;长沙/湖南/changsha/cs/0731/8/2/430104;"
    "郑州/河南/zhengzhou/zz/0371/8/2/410105;济南/山东/jinan/jn/0531/8/2/370102;青岛/山东/qingdao/qd/0532/8/2/370212;"
    "厦门/福建/xiamen/xm/0592/7/2/350203;宁波/浙江/ningbo/nb/0574/8/2/330212;合肥/安徽/hefei/hf/0551/8/2/340104;"
    "东莞/广东/dongguan/dg/0769/8/2/441900;佛山/广东/foshan/fs/0757/8/2/440604;无锡/江苏/wuxi/wx/0510/8/1/320214;"
    "大连/辽宁/dalian/dl/0411/8/1/210204;沈阳/辽宁/shenyang/sy/024/8/1/210102;昆明/云南/kunming/km/0871/8/1/530102;"
    "温州/浙江/wenzhou/wz/0577/8/1/330302;福州/福建/fuzhou/fz/0591/8/1/350102;银川/宁夏/yinchuan/yc/0951/7/1/640104;"
    "西宁/青海/xining/xn/0971/7/1/630103")]
# provinces, cities and districts: a brand never contains one (it would read as a region prefix)
REGIONS = sorted(set(
    "北京 天津 上海 重庆 河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 广东 海南 四川 贵州 云南 陕西 甘肃 青海 台湾 内蒙古 "
    "广西 西藏 宁夏 新疆 香港 澳门 华东 华南 华北 华中 西南 东北 西北 中山 珠海 汕头 惠州 江门 长春 哈尔滨 石家庄 太原 南昌 南宁 贵阳 兰州 海口 三亚 "
    "拉萨 泰安 安康 泰州 常州 扬州 徐州 南通 绍兴 金华 嘉兴 湖州 台州 丽水 衢州 舟山 烟台 潍坊 威海 临沂 洛阳 宜昌 襄阳 岳阳 常德 株洲 桂林 柳州 绵阳 "
    "德阳 宜宾 遵义 大理 丽江 保定 唐山 廊坊 吉安 赣州 九江 芜湖 安庆 龙岩 泉州 漳州 宁德 三明 南平 永州 广安 天水 中卫 长治 大同 德州 东营 日照 开封 "
    "新乡 南阳 信阳 安阳 许昌 荆州 佳木斯 大庆 兴安 通辽 包头 海东 玉林 北海 百色 韶关 湛江 茂名 肇庆 梅州 河源 阳江 清远 潮州 揭阳 云浮 雅安 眉山 乐山 "
    "南充 达州 广元 遂宁 安顺 玉溪 保山 延安 宝鸡 咸阳 汉中 榆林 金昌 白银 武威 酒泉 庆阳 固原 上饶 新余 宜春 黄山 滁州 阜阳 宿州 六安 连云港 淮安 盐城 "
    "镇江 宿迁 济宁 晋城 承德 沧州 衡水 邢台 丹东 锦州 营口 辽阳 盘锦 朝阳 通化 白山 松原 鸡西 伊春 黑河 焦作 周口 荆门 衡阳 益阳 郴州 怀化 贺州 海淀 "
    "浦东 南山 福田 天河 滨江 余杭 西湖 长安 永安 长乐 东城 西城 丰台 宝安 龙岗 龙华 光明 罗湖 黄埔 白云 越秀 海珠 武侯 锦江 金牛 鼓楼 玄武 栖霞 天宁 "
    "新都 长宁 普陀 徐汇 静安 闵行 嘉定 宝山 奉贤 金山 松江 青浦 崇明 顺义 昌平 大兴 通州 怀柔 密云 延庆 平谷 房山 门头沟 石景山 滨海 和平 深圳 广州 "
    "杭州 南京 苏州 成都 武汉 西安 长沙 郑州 济南 青岛 厦门 宁波 合肥 东莞 佛山 无锡 大连 沈阳 昆明 温州 福州 银川 西宁".split()), key=lambda r: (-len(r), r))
CN_SURNAMES = table(
    "王/wang;李/li;张/zhang;刘/liu;陈/chen;杨/yang;黄/huang;赵/zhao;吴/wu;周/zhou;徐/xu;孙/sun;马/ma;朱/zhu;胡/hu;郭/guo;何/he;林/lin;罗/luo;"
    "高/gao;郑/zheng;梁/liang;谢/xie;宋/song;唐/tang;韩/han;冯/feng;邓/deng;曹/cao;彭/peng;曾/zeng;肖/xiao;田/tian;董/dong;潘/pan;袁/yuan;"
    "蔡/cai;蒋/jiang;余/yu;杜/du;叶/ye;程/cheng;魏/wei;苏/su;吕/lv;丁/ding;任/ren;沈/shen;姚/yao;卢/lu;钟/zhong;谭/tan;陆/lu;汪/wang;范/fan;"
    "金/jin;石/shi;廖/liao;贾/jia;夏/xia;方/fang;白/bai;邹/zou;孟/meng;熊/xiong;秦/qin;邱/qiu;江/jiang;薛/xue;雷/lei;侯/hou;顾/gu;毛/mao;郝/hao;"
    "龚/gong;邵/shao;钱/qian;严/yan;武/wu;戴/dai;孔/kong")
CN_GIVEN = table(
    "伟/wei;芳/fang;娜/na;敏/min;静/jing;丽/li;强/qiang;磊/lei;军/jun;洋/yang;勇/yong;艳/yan;杰/jie;娟/juan;涛/tao;明/ming;超/chao;秀英/xiuying;"
    "霞/xia;平/ping;刚/gang;桂英/guiying;建华/jianhua;建国/jianguo;晓明/xiaoming;海燕/haiyan;志强/zhiqiang;丽娟/lijuan;文博/wenbo;子涵/zihan;"
    "浩然/haoran;雨婷/yuting;欣怡/xinyi;思远/siyuan;俊杰/junjie;晓东/xiaodong;国庆/guoqing;春梅/chunmei;红/hong;玲/ling;斌/bin;鹏/peng;辉/hui;"
    "宇/yu;琳/lin;颖/ying;婷/ting;健/jian;凯/kai;帆/fan;瑶/yao;晓燕/xiaoyan;建军/jianjun;佳琪/jiaqi;一鸣/yiming;立新/lixin;卫东/weidong;"
    "美玲/meiling;慧敏/huimin")
CN_TITLES = "总经理 采购经理 销售总监 行政主管 技术总监 财务经理 董事长 副总经理 市场经理 IT主管 采购专员 运营总监 人事经理 项目经理 办公室主任".split()
# simplified -> traditional for the characters above (brands, industries, cities, legal forms)
TRAD = {s: t for s, t in zip(
    "华联达兴东龙丰汇远创鸿伟业广银长乐万众汉诚润优锦绿宝凯飞腾讯维网络电贸医疗药传筑环饮询术设备机装车气实际发数据云责团启顺泽铭骏亿艺义杰洁澜兰苏宁连莲"
    "桦骅陈红剑园运输统开关区经营销务纺织产动线视软庆门郑济岛阳庄尔滨无锡温陕辽应链饰资胜铠锐锋枫辉鹏圣凌丽语齐跃顶鸣汤",
    "華聯達興東龍豐匯遠創鴻偉業廣銀長樂萬眾漢誠潤優錦綠寶凱飛騰訊維網絡電貿醫療藥傳築環飲詢術設備機裝車氣實際發數據雲責團啟順澤銘駿億藝義傑潔瀾蘭蘇寧連蓮"
    "樺驊陳紅劍園運輸統開關區經營銷務紡織產動線視軟慶門鄭濟島陽莊爾濱無錫溫陝遼應鏈飾資勝鎧銳鋒楓輝鵬聖淩麗語齊躍頂鳴湯", strict=True)}
CN_LEGAL = ["有限公司", "股份有限公司", "有限责任公司", ""]
FREE_CN = [("qq.com", 30), ("163.com", 25), ("126.com", 12), ("foxmail.com", 8), ("vip.163.com", 5), ("sina.com", 8),
           ("sohu.com", 4), ("yeah.net", 3), ("139.com", 3), ("aliyun.com", 2)]
MOBILE_PREFIXES = ("130 131 132 133 135 136 137 138 139 150 151 152 153 155 156 157 158 159 166 176 177 178 180 181 182 183 "
                   "185 186 187 188 189 191 198 199").split()

EN_PREFIX = ("North South East West Silver Gold Red Blue Green Black White Oak Ash Stone Iron Bright Clear Fair High Kings Elm Pine "
             "Maple Cedar River Lake Sea Star Sun Moon Copper Crystal Eagle Fox Hawk Lion Wolf Swan").split()
EN_SUFFIX = "gate well field wood bridge brook water ridge stone view ford haven point line mark wave light crest hill dale side way bury worth leigh more".split()
EN_GENERIC = ("Global Pacific Atlantic United Premier Golden Eastern Western Royal Prime Alpha Delta Apex Summit Pinnacle Evergreen "
              "Atlas Beacon Falcon Horizon Juniper Meridian Nordic Orion Quantum Sterling Vanguard Zenith Keystone Liberty Phoenix "
              "Trident Vertex Nexus Polaris Aurora Cobalt Crescent Harbor Unity").split()
EN_LAST = ("Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson Evans Walker White Roberts Green Hall "
           "Wood Harper Lowe Baker Cole Fletcher Hughes Carter Mitchell Turner Parker Morgan Cooper Bennett Reed Hayes Foster Price "
           "Ward Miller Davis Garcia Martinez Anderson Clark Lewis Young King Scott Adams Nelson Hill Campbell").split()
EN_FIRST = ("James John David Michael Robert William Richard Thomas Daniel Matthew Andrew Paul Mark Peter Chris Sarah Emma Laura "
            "Rachel Anna Sophie Emily Jessica Hannah Olivia Kate Lucy Claire Helen Rebecca").split()
DE_LAST = "Hartmann Keller Vogel Brandt Schulz Wagner Krause Lehmann Fischer Weber Becker Richter Neumann Schwarz Braun Hofmann Zimmermann Schmitt Lange Koch".split()
DE_FIRST = "Thomas Stefan Andreas Michael Markus Julia Katrin Sabine Anna Lukas Jan Tobias Claudia Sandra".split()
ASIA_NAMES = table("Wei Ming/Tan;Hui Ling/Lim;Kenneth/Wong;Grace/Lee;Alvin/Ng;Jasmine/Goh;Ka Yan/Chan;Vincent/Lau;Cheryl/Teo;"
                   "Raymond/Cheung;Priya/Nair;Ahmed/Khan;Hiroshi/Tanaka;Yuki/Sato")
EN_DESC = ("Trading Technologies Consulting Logistics Software Systems Solutions Engineering Holdings Partners Foods Pharma "
           "Electronics Media Design Supply Imports Manufacturing Analytics Energy Labs Marine Textiles Robotics Medical Freight Packaging").split()
DE_DESC = "Logistik Maschinenbau Technik Handel Elektronik Software Consulting Medizintechnik Verpackung Systeme".split()
EN_INDUSTRY = dict(table(
    "Trading/Wholesale & Trading;Technologies/Information Technology;Systems/Information Technology;Solutions/Business Services;"
    "Holdings/Investment;Partners/Professional Services;Foods/Food & Beverage;Pharma/Pharmaceuticals;Supply/Wholesale & Trading;"
    "Imports/Import & Export;Analytics/Data & Analytics;Labs/Research;Robotics/Automation;Medical/Healthcare;Freight/Logistics;"
    "Logistik/Logistics;Maschinenbau/Machinery;Technik/Engineering;Handel/Wholesale & Trading;Elektronik/Electronics;"
    "Medizintechnik/Medical Devices;Verpackung/Packaging;Systeme/Information Technology"))
EN_TITLES = ("CEO;Managing Director;Purchasing Manager;Head of Procurement;Operations Director;IT Manager;Sales Director;CFO;"
             "Office Manager;Founder;Partner;Buyer").split(";")
# legal-form families: a re-entry may swap any member for another ("" = dropped)
LEGAL = {"LTD": ["Ltd", "Ltd.", "Limited", "Co., Ltd.", "Co. Ltd", ""], "PLC": ["PLC", "plc", ""], "INC": ["Inc.", "Inc", "Incorporated", ""],
         "LLC": ["LLC", "L.L.C.", ""], "CORP": ["Corp.", "Corporation", ""], "GMBH": ["GmbH", ""], "AG": ["AG", ""],
         "PTE": ["Pte. Ltd.", "Pte Ltd", ""], "PTY": ["Pty Ltd", "Pty. Ltd.", ""], "BV": ["B.V.", "BV", ""],
         "HKLTD": ["Limited", "Co., Limited", "Ltd", ""], "KK": ["Co., Ltd.", "Ltd", ""]}
# city, region, country, weight, TLDs, legal families, landline (cc, areas, digits), mobile or None, free-mail market
EN_CITIES = [
    ("London", "England", "UK", 16, ["co.uk", "com"], ["LTD", "LTD", "PLC"], ("44", ["20"], 8), ("44", ["7700", "7911", "7823", "7456"], 6), "UK"),
    ("Manchester", "England", "UK", 6, ["co.uk"], ["LTD"], ("44", ["161"], 7), ("44", ["7700", "7944"], 6), "UK"),
    ("Edinburgh", "Scotland", "UK", 4, ["co.uk"], ["LTD"], ("44", ["131"], 7), ("44", ["7712"], 6), "UK"),
    ("Berlin", "Berlin", "DE", 7, ["de"], ["GMBH", "GMBH", "AG"], ("49", ["30"], 8), ("49", ["151", "160", "176"], 8), "DE"),
    ("Munich", "Bavaria", "DE", 5, ["de"], ["GMBH"], ("49", ["89"], 8), ("49", ["170", "171"], 8), "DE"),
    ("Hamburg", "Hamburg", "DE", 4, ["de", "com"], ["GMBH"], ("49", ["40"], 8), None, "DE"),
    ("New York", "New York", "US", 10, ["com"], ["INC", "LLC", "CORP"], ("1", ["212", "646", "917"], 7), None, "US"),
    ("San Francisco", "California", "US", 6, ["com", "io"], ["INC", "LLC"], ("1", ["415", "628"], 7), None, "US"),
    ("Chicago", "Illinois", "US", 4, ["com"], ["INC", "LLC"], ("1", ["312", "773"], 7), None, "US"),
    ("Singapore", "Singapore", "SG", 10, ["com.sg", "sg", "com"], ["PTE"], ("65", [""], 8), None, "SG"),
    ("Hong Kong", "Hong Kong", "HK", 8, ["com.hk", "hk", "com"], ["HKLTD"], ("852", [""], 8), None, "HK"),
    ("Sydney", "New South Wales", "AU", 5, ["com.au"], ["PTY"], ("61", ["2"], 8), ("61", ["412", "423", "438"], 6), "AU"),
    ("Toronto", "Ontario", "CA", 4, ["ca", "com"], ["INC", "LTD"], ("1", ["416", "647"], 7), None, "US"),
    ("Amsterdam", "North Holland", "NL", 4, ["nl", "com"], ["BV"], ("31", ["20"], 7), ("31", ["6"], 8), "DE"),
    ("Dubai", "Dubai", "AE", 2, ["ae", "com"], ["LLC"], ("971", ["4"], 7), ("971", ["50", "55"], 7), "UK"),
    ("Tokyo", "Tokyo", "JP", 2, ["co.jp", "com"], ["KK"], ("81", ["3"], 8), None, "UK"),
]
FREE_EN = {"UK": [("gmail.com", 5), ("outlook.com", 3), ("hotmail.co.uk", 2), ("yahoo.co.uk", 1)],
           "US": [("gmail.com", 6), ("outlook.com", 2), ("yahoo.com", 2), ("icloud.com", 1), ("hotmail.com", 1)],
           "DE": [("gmx.de", 3), ("web.de", 3), ("gmail.com", 3), ("t-online.de", 1)],
           "SG": [("gmail.com", 5), ("yahoo.com.sg", 2), ("hotmail.com", 2)],
           "HK": [("gmail.com", 5), ("yahoo.com.hk", 2), ("netvigator.com", 1), ("outlook.com", 1)],
           "AU": [("gmail.com", 4), ("bigpond.com", 2), ("outlook.com", 1)]}
# fmt: on
PINYIN = {**TYPO_ONLY, **BRAND_CHARS}
HOMOPHONES = {}
for _ch, _py in PINYIN.items():
    HOMOPHONES.setdefault(_py, []).append(_ch)
CITY = {c[0]: c for c in CN_CITIES}
ENCITY = {c[0]: c for c in EN_CITIES}
MUNICIPALITIES = ("北京", "上海", "天津", "重庆")
TRUNK0 = {"44", "49", "61", "31", "971", "81"}  # numbers also written "+44 (0)20 ..."
FREE_MAIL = {d for pool in [FREE_CN, *FREE_EN.values()] for d, _ in pool}
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def pick(seq):
    return rng.choice(seq)


def chance(p):
    return rng.random() < p


def wpick(pairs):
    return rng.choices([a for a, _ in pairs], weights=[w for _, w in pairs])[0]


def digits(n):
    return "".join(rng.choices("0123456789", k=n))


def fullwidth(s, space="\u3000"):
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else space if c == " " else c for c in s)


def fuzzy(py):  # pinyin as a fuzzy IME hears it: zh/ch/sh = z/c/s, -ng = -n
    return re.sub(r"([zcs])h", r"\1", py).replace("ng", "n")


# ---------------------------------------------------------------- identifiers, unique per entity
REG = {}  # (kind, canonical value) -> entity id


def fresh(kind, eid, make):
    for _ in range(1000):
        value = make()
        if (kind, value) not in REG:
            REG[kind, value] = eid
            return value
    raise RuntimeError(f"no fresh {kind}")


def uscc_check(s17):  # GB 32100-2015
    total = sum(USCC_ALPHABET.index(c) * pow(3, i, 31) for i, c in enumerate(s17))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def org_code_check(body8):  # GB 11714, the organisation code embedded at positions 9-17
    values = [int(c) if c.isdigit() else ord(c) - 55 for c in body8]
    total = sum(v * w for v, w in zip(values, (3, 7, 9, 10, 5, 8, 4, 2), strict=True))
    return {10: "X", 11: "0"}.get(11 - total % 11, str(11 - total % 11))


def new_uscc(eid, city):
    def make():
        new_style = "MA" + "".join(rng.choices(USCC_ALPHABET, k=6))  # since 2015; older: digits
        body = new_style if chance(0.65) else pick("3567") + digits(7)
        s17 = "91" + pick(CITY[city][7]) + body + org_code_check(body)
        return s17 + uscc_check(s17)

    return fresh("uscc", eid, make)


def new_phone(eid, city, lang, mobile, local=None):
    if lang == "cn":
        kind = "mobile" if mobile else "landline"
        cc, areas, n = ("86", [""], 11) if mobile else ("86", [CITY[city][4][1:]], CITY[city][5])
        first = MOBILE_PREFIXES if mobile else list("2345678")
    else:
        spec = ENCITY[city][7] if mobile and ENCITY[city][7] else ENCITY[city][6]
        kind = "intl_mobile" if spec is ENCITY[city][7] else "intl"
        (cc, areas, n), first = spec, list({"65": "689", "852": "235689"}.get(spec[0], "23456789"))
    for _ in range(1000):
        f = pick(first)
        area, loc = pick(areas), local or f + digits(n - len(f))
        canon = f"+{cc}{area}{loc}"
        if ("phone", canon) not in REG:
            REG["phone", canon] = eid
            return {"kind": kind, "cc": cc, "area": area, "local": loc, "canon": canon}
    raise RuntimeError("no fresh phone")


def phone_str(p, variant=None):
    """The phone as a rep types it: one of a few clean forms, or with one noise variant."""
    cc, area, loc, n = p["cc"], p["area"], p["local"], len(p["local"])
    cut = 3 if cc == "1" or n in (6, 7) else 4
    g = f"{loc[:cut]} {loc[cut:]}" if n > 6 or cc == "61" else loc
    ext = pick(["8001", "802", "6012", "205"] if cc == "86" else ["204", "12", "3105"])
    if p["kind"] == "mobile":
        m, s = loc, f"{loc[:3]} {loc[3:7]} {loc[7:]}"
        d = s.replace(" ", "-")
        opts = {None: [m] * 5 + [s, d],
                "phone_country_code": [f"+86 {s}", f"+86-{m}", f"0086 {m}", f"86-{d}", f"+86{m}", f"(+86){m}"],
                "phone_separators": [d, s, f"{m[:4]} {m[4:7]} {m[7:]}", s.replace(" ", ".")],
                "phone_note": [f"{m}（微信同号）", f"{m} 微信同号", f"{d}(手机)", f"手机：{m}", f"{m}/微信同号", f"{m}（手机）"],
                "phone_fullwidth": [fullwidth(m), fullwidth(d)]}  # fmt: skip
    elif cc == "86":
        a = "0" + area
        opts = {None: [f"{a}-{loc}"] * 5 + [f"({a}){loc}", f"{a} {g}"],
                "phone_country_code": [f"+86 {area} {g}", f"0086-{area}-{loc}", f"+86 ({area}) {loc}", f"86-{area}-{loc}"],
                "phone_separators": [f"({a}){loc}", f"{a} {g}", f"{a}-{g.replace(' ', '-')}", f"{a}{loc}", f"{a}-{loc}"],
                "phone_extension": [f"{a}-{loc}转{ext}", f"{a}-{loc} 转 {ext}", f"{a}-{loc} ext. {ext}", f"{a}-{loc}分机{ext}", f"({a}){loc}转{ext}"],
                "phone_fullwidth": [fullwidth(f"{a}-{loc}")],
                "landline_no_area_code": [loc, g, g.replace(" ", "-")]}  # fmt: skip
    else:
        us, parts = cc == "1", [x for x in (area, g) if x]
        nat = f"({area}) {g.replace(' ', '-')}" if us else " ".join(parts)
        plain = f"+1 {area}-{g.replace(' ', '-')}" if us else f"+{cc} {nat}"
        trunk = [f"+{cc} (0){nat}"] * 2 if cc in TRUNK0 and area else []
        dashed = "-".join(" ".join(parts).split())
        opts = {None: [plain, plain, f"+1 {nat}"] if us else [plain],
                "phone_country_code": [f"00{cc} {nat}", f"00{cc}-{dashed}", *trunk],
                "phone_separators": [f"+{cc}{area}{loc}", f"+{cc}-{dashed}", f"+{cc}.{dashed.replace('-', '.')}"],
                "phone_extension": [f"{plain} ext. {ext}", f"{plain} x{ext}", f"{plain} (ext. {ext})"]}  # fmt: skip
    s = pick(opts[variant])
    assert ref_phone(s) == (None if variant == "landline_no_area_code" else p["canon"]), s
    return s


def person(lang, country=None):
    if lang == "cn":
        (s, spy), (g, gpy) = pick(CN_SURNAMES), pick(CN_GIVEN)
        return {"name": s + g, "first": gpy, "last": spy}
    if country == "DE" and chance(0.7):
        first, last = pick(DE_FIRST), pick(DE_LAST)
    elif country in ("SG", "HK", "AE", "JP") and chance(0.6):
        first, last = pick(ASIA_NAMES)
    else:
        first, last = pick(EN_FIRST), pick(EN_LAST)
    first_ascii = re.sub("[^a-z]", "", first.lower())
    return {"name": f"{first} {last}", "first": first_ascii, "last": last.lower()}


def company_email(eid, p, domain):
    f, la = p["first"], p["last"]
    styles = [(f"{la}{f}", 4), (f"{la}.{f}", 2), (f"{f}.{la}", 3), (f"{f[0]}{la}", 2), (f, 1)]
    generic = [(pick(["sales", "info", "service", "contact", "office", "market"]), 1)]
    return fresh("email", eid, lambda: wpick(styles + generic) + "@" + domain)


def free_email(eid, p, domain):
    f, la = p["first"], p["last"]

    def make():
        if domain in ("qq.com", "foxmail.com") and chance(0.6):  # QQ number
            return pick("123456789") + digits(rng.randint(7, 9)) + "@" + domain
        year = rng.randint(1970, 2002)
        nn, nnn = digits(2), digits(3)
        styles = [f"{la}{f}{nn}", f"{f}.{la}{nn}", f"{f[0]}{la}{nnn}", f"{la}_{f}{year}"]
        return pick(styles) + "@" + domain

    return fresh("email", eid, make)


# ---------------------------------------------------------------- brands and entities
ENT, CN_KEYS, EN_BRANDS = {}, set(), []  # entities; fuzzy pinyin keys and brands already taken


def edit_distance(a, b):
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def new_cn_brand(base=None):
    """A fresh brand: no region name inside, not a (fuzzy) homophone of any brand taken so far.
    With base: the same brand with one character replaced by one that sounds different."""
    for _ in range(5000):
        if base:
            i = rng.randrange(len(base))
            sound = fuzzy(PINYIN[base[i]])
            other = pick([c for c in BRAND_CHARS if fuzzy(BRAND_CHARS[c]) != sound])
            brand = base[:i] + other + base[i + 1 :]
        elif chance(0.04):
            brand = pick(LATIN_BRANDS)[0]
        else:
            brand = "".join(rng.sample(list(BRAND_CHARS), wpick([(2, 80), (3, 17), (4, 3)])))
        key = "".join(fuzzy(PINYIN.get(c, c.lower())) for c in brand)
        if key not in CN_KEYS and not any(r in brand for r in REGIONS):
            CN_KEYS.add(key)
            return brand, "".join(PINYIN.get(c, c.lower()) for c in brand)
    raise RuntimeError("brand pool exhausted")


def new_en_brand(country, base=None):
    """A fresh brand at least 3 edits from every brand taken so far. With base: one sharing a
    word with base (the other half of a compound, or another generic word)."""
    for _ in range(5000):
        kinds = [("compound", 55), ("generic", 20), ("pair", 15), ("surname", 10 * (country == "DE"))]  # fmt: skip
        kind = wpick(kinds)
        if base:
            kind = "compound" if base["parts"] else "generic"
        parts = (pick(EN_PREFIX), pick(EN_SUFFIX)) if kind == "compound" else None
        if base and parts:
            parts = (base["parts"][0], parts[1]) if chance(0.5) else (parts[0], base["parts"][1])
        brand = {"compound": "".join(parts or ""), "generic": pick(EN_GENERIC), "surname": pick(DE_LAST),
                 "pair": f"{pick(EN_LAST)} {'&' if chance(0.8) else 'and'} {pick(EN_LAST)}"}[kind]  # fmt: skip
        words = brand.lower().split()
        far = all(edit_distance(brand.lower(), b) >= 3 for b in EN_BRANDS)
        if far and len(set(words)) == len(words):
            EN_BRANDS.append(brand.lower())
            return brand, parts
    raise RuntimeError("brand pool exhausted")


def render_cn(e):
    core, city, legal = e["brand"] + e["ind"][0], e["city"], e["legal"]
    if e["region"] == "bracket":
        return f"{core}（{city}）{legal}"
    prov = city if city in MUNICIPALITIES else CITY[city][1]
    prefix = {"none": "", "city": city, "city_shi": city + "市", "prov": prov}[e["region"]]
    return prefix + core + legal


def render_en(e):
    return " ".join(x for x in (e["brand"], e["desc"], e["legal"]) if x)


def add_contacts(e, n, persons=(), free_domain=None, landline_local=None):
    lang, city = e["lang"], e["city"]
    country = ENCITY[city][8] if lang == "en" else None
    for i in range(n):
        p = persons[i] if i < len(persons) else person(lang, country)
        title = pick(CN_TITLES if lang == "cn" else EN_TITLES) if chance(0.6) else ""
        c = {"person": p, "name": p["name"], "title": title, "phone": None, "email": ""}
        c["company_email"] = False
        if landline_local and i == 0:
            c["phone"] = new_phone(e["id"], city, lang, False, local=landline_local)
        elif chance(0.92 if lang == "cn" else 0.8):
            mobile = chance(0.78) if lang == "cn" else chance(0.4)
            c["phone"] = new_phone(e["id"], city, lang, mobile)
        if free_domain and i == 0:
            c["email"] = free_email(e["id"], p, free_domain)
        elif chance(0.5 if lang == "cn" else 0.85):
            if e["domain"] and chance(0.75):
                c["email"], c["company_email"] = company_email(e["id"], p, e["domain"]), True
            else:
                fd = wpick(FREE_CN if lang == "cn" else FREE_EN.get(country, FREE_EN["UK"]))
                c["email"] = free_email(e["id"], p, fd)
        c["phone_str"] = phone_str(c["phone"]) if c["phone"] else ""
        e["contacts"].append(c)


def new_entity(lang, eid, brand=None, city=None, ind=None, desc=None, n_contacts=None, **kw):
    e = {"id": eid, "lang": lang, "contacts": [], "uscc": ""}
    if lang == "cn":
        e["city"] = city or wpick([(c[0], c[6]) for c in CN_CITIES])
        (e["brand"], e["key"]), e["ind"] = brand or new_cn_brand(), ind or pick(INDUSTRIES)
        e["legal"] = wpick([("有限公司", 70), ("股份有限公司", 10), ("有限责任公司", 10), ("", 10)])
        shi = e["city"] in ("深圳", "广州")  # these are nearly always written 深圳市…
        e["region"] = wpick([("none", 30), ("city_shi" if shi else "city", 35), ("city_shi", 10),
                             ("prov", 0 if e["city"] in MUNICIPALITIES else 10), ("bracket", 15)])  # fmt: skip
        e["legal"] = e["legal"] or ("有限公司" if e["region"] == "bracket" else "")
        e["name"] = render_cn(e)
        e["city_field"] = "" if chance(0.05) else e["city"] + ("市" if chance(0.15) else "")
        prov = CITY[e["city"]][1]
        suffix = "" if chance(0.6) else "市" if prov in MUNICIPALITIES else "省"
        e["province"] = "" if chance(0.1) else prov + suffix
        e["industry"] = e["ind"][2] if chance(0.8) else ""
        e["uscc"] = new_uscc(eid, e["city"]) if chance(0.4) else ""
        has_domain, base, slug = chance(0.4), e["key"], e["ind"][3]
        tld = wpick([("com", 35), ("cn", 20), ("com.cn", 30), ("net", 8), ("net.cn", 7)])
        names = [(base, 5), (base + slug, 2), (CITY[e["city"]][3] + base, 2), (f"{base}-{slug}", 1)]
        tlds = [tld]
    else:
        e["city"] = city or wpick([(c[0], c[3]) for c in EN_CITIES])
        country = ENCITY[e["city"]][2]
        e["brand"], e["parts"] = brand or new_en_brand(country)
        e["desc"] = desc or (pick(DE_DESC) if country == "DE" and chance(0.6) else pick(EN_DESC))
        e["family"] = pick(ENCITY[e["city"]][5])
        e["legal"] = "" if chance(0.07) else pick([x for x in LEGAL[e["family"]] if x])
        e["name"] = render_en(e)
        e["city_field"] = "" if chance(0.05) else e["city"]
        e["province"] = ENCITY[e["city"]][1] if chance(0.6) else ""
        word = e["desc"].split()[0]
        e["industry"] = EN_INDUSTRY.get(word, word) if chance(0.7) else ""
        has_domain, slug = chance(0.75), word.lower()
        amp = "and" if chance(0.3) else ""
        base = re.sub("[^a-z0-9]", "", e["brand"].lower().replace("&", amp))
        names = [(base, 5), (base + slug, 3), (f"{base}-{slug}", 1), (base + "group", 1)]
        tlds = ENCITY[e["city"]][4]
    d = e["domain"] = fresh("domain", eid, lambda: wpick(names) + "." + pick(tlds)) if has_domain else ""  # fmt: skip
    forms = [(f"www.{d}", 45), (f"http://www.{d}", 25), (f"https://www.{d}", 15), (d, 10), (f"https://{d}", 5)]  # fmt: skip
    e["website"] = wpick(forms) if d and chance(0.72) else ""
    if n_contacts is None:
        n_contacts = wpick([(0, 8), (1, 62), (2, 23), (3, 7)])
    add_contacts(e, n_contacts, **kw)
    ENT[eid] = e
    return e


def lead_of(e):
    contacts = [
        {"name": c["name"], "title": c["title"], "phone": c["phone_str"], "email": c["email"]}
        for c in e["contacts"]
    ]
    fields = {f: e[f] for f in ("uscc", "website", "province")}
    city = {"city": e["city_field"], "industry": e["industry"]}
    return {"company_name": e["name"], **fields, **city, "contacts": contacts}


# ---------------------------------------------------------------- re-entries (same customer again)
# variant: (group, weight). A re-entry takes 1-3 variants, at most one per group.
CATALOGUE = {
    "phone_country_code": ("phone", 10), "phone_separators": ("phone", 8), "phone_note": ("phone", 5),
    "phone_extension": ("phone", 8), "phone_fullwidth": ("phone", 3), "landline_no_area_code": ("phone", 12),
    "email_case": ("email", 4), "email_mailto": ("email", 2), "email_display_name": ("email", 3),
    "website_https_www": ("web", 2), "website_path": ("web", 2), "website_upper": ("web", 2),
    "website_no_scheme": ("web", 2), "uscc_lower": ("uscc", 8), "uscc_spaces": ("uscc", 8),
    "uscc_O_for_0": ("uscc", 8), "name_fullwidth": ("fw", 4), "name_traditional": ("trad", 4),
    "name_region_added": ("region", 8), "name_region_removed": ("region", 6), "name_region_bracket": ("region", 5),
    "name_legal_form": ("legal", 10), "name_punct_case": ("punct", 8), "name_and_amp": ("amp", 15),
    "name_homophone_typo": ("typo", 5), "name_en_typo": ("typo", 5), "name_pinyin_english": ("typo", 1.5),
    "city_blank": ("city", 6), "city_suffix": ("city", 2), "other_contact": ("contact", 10),
    "contact_name_honorific": ("contact", 2),
    "contact_new_phone": ("contact", 0),  # hard re-entries only: the same person's name with a new number
}  # fmt: skip
INCOMPATIBLE = {
    "other_contact": {"phone", "email"},
    "name_pinyin_english": {"fw", "trad", "region", "legal", "punct"},
}
NAME_BREAKING = ("name_homophone_typo", "name_en_typo", "name_pinyin_english")


def typo_options(brand):
    opts = [(i, alt) for i, c in enumerate(brand) if c in PINYIN for alt in HOMOPHONES[PINYIN[c]]]
    opts = [brand[:i] + alt + brand[i + 1 :] for i, alt in opts]
    return [b for b in opts if b != brand and not any(r in b for r in REGIONS)]


def en_typo(brand):
    words = brand.split()
    i = pick([i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()])
    w, j = words[i], rng.randrange(1, len(words[i]) - 1)
    swap = chance(0.5) and w[j] != w[j + 1]
    words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2 :] if swap else w[:j] + w[j + 1 :]
    return " ".join(words)


def applicable(v, e, c):
    cn, ph, mail = e["lang"] == "cn", c and c["phone"], bool(c and c["email"])
    kind = ph and ph["kind"]
    if v.startswith("website_"):
        return bool(e["domain"])
    return {
        "phone_country_code": bool(ph), "phone_separators": bool(ph), "phone_note": kind == "mobile",
        "phone_extension": kind in ("landline", "intl"), "phone_fullwidth": kind in ("mobile", "landline"),
        "landline_no_area_code": kind == "landline", "email_case": mail, "email_mailto": mail, "email_display_name": mail,
        "uscc_lower": any(ch.isalpha() for ch in e["uscc"]), "uscc_spaces": bool(e["uscc"]), "uscc_O_for_0": "0" in e["uscc"],
        "name_fullwidth": not cn or e["region"] == "bracket" or any(ch.isascii() for ch in e["brand"]),
        "name_traditional": cn and any(ch in TRAD for ch in e["name"]), "name_region_added": cn and e["region"] == "none",
        "name_region_removed": cn and e["region"] in ("city", "city_shi", "prov"), "name_region_bracket": cn and bool(e["legal"]),
        "name_legal_form": True, "name_punct_case": True, "name_and_amp": not cn and (" & " in e["brand"] or " and " in e["brand"]),
        "name_homophone_typo": cn and bool(typo_options(e["brand"])),
        "name_en_typo": not cn and any(len(w) >= 5 and w.isalpha() for w in e["brand"].split()),
        "name_pinyin_english": cn, "city_blank": bool(e["city_field"]), "city_suffix": cn and bool(e["city_field"]),
        "other_contact": True, "contact_name_honorific": cn and bool(c), "contact_new_phone": bool(c),
    }[v]  # fmt: skip


def choose_variants(e, c, hard):
    if hard:  # a typo in the name, and nothing strong shared
        contact = ("other_contact", "contact_new_phone", "landline_no_area_code")
        extra = ("name_legal_form", "name_punct_case", "name_region_removed", "name_region_added")
        typo = "name_homophone_typo" if e["lang"] == "cn" else "name_en_typo"
        vs = [typo, pick([v for v in contact if applicable(v, e, c)])]
        extra = [v for v in extra if applicable(v, e, c)]
        return vs + ([pick(extra)] if extra and chance(0.3) else [])
    cands, vs = [v for v, (_, w) in CATALOGUE.items() if w and applicable(v, e, c)], []
    for _ in range(wpick([(1, 50), (2, 35), (3, 15)])):
        if not cands:
            break
        v = wpick([(x, CATALOGUE[x][1]) for x in cands])
        vs.append(v)
        banned = {CATALOGUE[v][0]} | INCOMPATIBLE.get(v, set())
        cands = [x for x in cands if CATALOGUE[x][0] not in banned]
        cands = [x for x in cands if CATALOGUE[v][0] not in INCOMPATIBLE.get(x, ())]
    return vs


def string_variant(v, name, e, b, legal):
    if v == "name_traditional":
        return "".join(TRAD.get(ch, ch) for ch in name)
    if v == "name_fullwidth":
        if e["lang"] == "cn" and not any(ch.isascii() and ch.isalnum() for ch in name):
            return name.replace("（", "(").replace("）", ")")
        return fullwidth(name, pick([" ", "\u3000"]))
    if e["lang"] == "cn":  # spacing, case of Latin letters
        i, j = name.find(b), name.rfind(legal) if legal else -1
        opts = [name[:k] + " " + name[k:] for k in (i, j) if k > 0]
        opts += [name.replace(b, b.lower()), name.replace(b, b.upper())] if b.isascii() else []
    else:  # case, commas, full stops, spacing
        opts = [name.upper(), name.lower(), name.replace(" ", "  ", 1)]
        opts += [name[: -len(legal)].rstrip() + ", " + legal] if legal else []
        opts += [name.replace(".", "")] if "." in name else []
        opts += [name.replace(" & ", "&")] if " & " in name else []
    return pick([o for o in opts if o != name] or [name])


def name_variant(e, vs):
    """The company name with the chosen name variants, or None when one of them changes nothing."""
    b, legal, region = e["brand"], e["legal"], e.get("region")
    if e["lang"] == "cn":
        b = pick(typo_options(b)) if "name_homophone_typo" in vs else b
        if "name_region_added" in vs:
            region = pick(["city", "city_shi"] + ([] if e["city"] in MUNICIPALITIES else ["prov"]))
        region = "none" if "name_region_removed" in vs else region
        if "name_region_bracket" in vs:
            region = "city" if region == "bracket" else "bracket"
        if "name_legal_form" in vs:
            legal = pick([x for x in CN_LEGAL if x != e["legal"] and (x or region != "bracket")])
        name = render_cn({**e, "brand": b, "region": region, "legal": legal})
        if "name_pinyin_english" in vs:
            brand_en = b if b.isascii() else e["key"].capitalize()
            name = f"{CITY[e['city']][2].capitalize()} {brand_en} {e['ind'][1]} Co., Ltd."
    else:
        b = en_typo(b) if "name_en_typo" in vs else b
        if "name_and_amp" in vs:
            b = b.replace(" & ", " and ") if " & " in b else b.replace(" and ", " & ")
        if "name_legal_form" in vs:
            legal = pick([x for x in LEGAL[e["family"]] if x != e["legal"]])
        name = render_en({**e, "brand": b, "legal": legal})
    for v in ("name_traditional", "name_fullwidth", "name_punct_case"):
        if v in vs:
            new = string_variant(v, name, e, b, legal)
            if new == name:
                return None
            name = new
    return name if name != e["name"] else None


def field_variant(e, c, v):
    if v.startswith("website_"):
        d, orig = e["domain"], e["website"] or "www." + e["domain"]
        paths = ("/about.html", "/contact", "/en/index.html", "/index.php?lang=cn", "/products/")
        opts = {"website_https_www": [f"https://www.{d}/", f"https://www.{d}"],
                "website_path": [orig.rstrip("/") + p for p in paths],
                "website_upper": [orig.upper(), f"WWW.{d.upper()}", f"HTTP://WWW.{d.upper()}"],
                "website_no_scheme": [d, f"www.{d}", f"www.{d}/"]}[v]  # fmt: skip
        return pick([o for o in opts if o != e["website"]])
    if v.startswith("uscc_"):
        u = e["uscc"]
        zero = pick([i for i, ch in enumerate(u) if ch == "0"] or [0])
        return {"uscc_lower": u.lower(), "uscc_O_for_0": u.replace("0", "O") if chance(0.5) else u[:zero] + "O" + u[zero + 1 :],
                "uscc_spaces": pick([f"{u[:2]} {u[2:8]} {u[8:17]} {u[17]}", " ".join(u[i : i + 4] for i in range(0, 18, 4)), f"{u[:8]} {u[8:]}"])}[v]  # fmt: skip
    em, name = c["email"], c["name"]
    local, dom = em.split("@")
    opts = {"email_case": [em.upper(), local.title() + "@" + dom, local.title() + "@" + dom.title()],
            "email_mailto": [f"mailto:{em}", f"MAILTO:{em}", f"mailto:{local.title()}@{dom}"],
            "email_display_name": [f"{name} <{em}>", f'"{name}" <{em}>', f"{name}<{em}>"]}[v]  # fmt: skip
    return pick([o for o in opts if o != em])


def build_reentry(e, c, vs, hard):
    """(lead, strong links it shares with the original) or None when a variant does not apply."""
    name = name_variant(e, vs) if any(v.startswith("name_") for v in vs) else e["name"]
    if name is None:
        return None
    eid, cn, var = e["id"], e["lang"] == "cn", {CATALOGUE[v][0]: v for v in vs}
    # the domain is a link only when the original shows it (website or a company e-mail)
    shown = bool(e["website"]) or any(x["company_email"] for x in e["contacts"])
    city = "" if "city_blank" in vs else e["city_field"]
    if "city_suffix" in vs:
        city = city[:-1] if city.endswith("市") else city + "市"
    links = {"name_city"} if city and not any(v in vs for v in NAME_BREAKING) else set()
    contacts, titles = [], CN_TITLES if cn else EN_TITLES
    if var.get("contact") in ("other_contact", "contact_new_phone"):
        country = None if cn else ENCITY[e["city"]][8]
        p = c["person"] if var["contact"] == "contact_new_phone" else person(e["lang"], country)
        phone = phone_str(new_phone(eid, e["city"], e["lang"], mobile=cn or chance(0.5)))
        title = pick(titles) if chance(0.5) else ""
        nc = {"name": p["name"], "title": title, "phone": phone, "email": ""}
        if e["domain"] and not hard and chance(0.5):
            nc["email"] = company_email(eid, p, e["domain"])
            links |= {"domain"} if shown else set()
        elif chance(0.25):
            nc["email"] = free_email(eid, p, wpick(FREE_CN) if cn else "gmail.com")
        contacts.append(nc)
    elif c:
        title = c["title"] if chance(0.5) else ""
        nc = {"name": c["name"], "title": title, "phone": "", "email": ""}
        if var.get("contact") == "contact_name_honorific":
            nc["name"] = c["name"][0] + pick(["总", "经理", "工"])
        if c["phone"] and ("phone" in var or chance(0.85)):
            nc["phone"] = phone_str(c["phone"], var.get("phone"))
            links |= set() if var.get("phone") == "landline_no_area_code" else {"phone"}
        if c["email"] and not hard and ("email" in var or chance(0.6)):
            nc["email"] = field_variant(e, c, var["email"]) if "email" in var else c["email"]
            links |= {"email", "domain"} if c["company_email"] else {"email"}
        contacts.append(nc)
    uscc = e["uscc"] if not hard and chance(0.3) else ""
    uscc = field_variant(e, c, var["uscc"]) if "uscc" in var else uscc
    website = field_variant(e, c, var["web"]) if "web" in var else ""
    if not website and e["domain"] and not hard and chance(0.3):
        website = e["website"] or "www." + e["domain"]
    links |= ({"uscc"} if uscc else set()) | ({"domain"} if website and shown else set())
    province = e["province"] if (city and chance(0.6)) or chance(0.2) else ""
    industry = e["industry"] if chance(0.55) else ""
    lead = {"company_name": name, "uscc": uscc, "website": website, "province": province, "city": city,
            "industry": industry, "contacts": contacts}  # fmt: skip
    return lead, sorted(links)


def make_reentry(e, hard):
    for _ in range(500):
        c = pick(e["contacts"]) if e["contacts"] else None
        vs = choose_variants(e, c, hard)
        out = build_reentry(e, c, vs, hard)
        if out and bool(out[1]) != hard:  # normal: keeps a strong link; hard: keeps none
            return vs, out
    raise RuntimeError(f"no re-entry for {e['id']}")


# ---------------------------------------------------------------- look-alikes (different customers)
def eligible(kind, e):
    phones = [c["phone"] for c in e["contacts"] if c["phone"]]
    landlines = [p for p in phones if p["kind"] == "landline" and len(p["local"]) == 8]
    return {"same_brand_other_city": bool(e["city_field"]), "brand_extended_other_city": bool(e["city_field"]),
            "similar_brand_same_city": bool(e["city_field"]) and not any(ch.isascii() for ch in e["brand"]),
            "same_person_name": bool(e["contacts"]), "shared_words": True, "landline_same_local_number": bool(landlines),
            "shared_freemail_domain": any(c["email"] and not c["company_email"] for c in e["contacts"])}[kind]  # fmt: skip


def other_city(e, far=0.7):
    cn = e["lang"] == "cn"
    cities = [c[0] for c in (CN_CITIES if cn else EN_CITIES) if c[0] != e["city"]]
    country = (lambda x: CITY[x][1]) if cn else (lambda x: ENCITY[x][2])
    farther = [x for x in cities if country(x) != country(e["city"])]
    return pick(farther if chance(far) else cities)


def make_lookalike(kind, e, eid):
    lang, near = e["lang"], e["city"] if chance(0.6) else None
    kw = {"n_contacts": wpick([(1, 75), (2, 25)])}
    if kind == "same_brand_other_city" and lang == "cn":  # 北京华联… / 上海华联…
        ind = e["ind"] if chance(0.7) else None
        n = new_entity(lang, eid, brand=(e["brand"], e["key"]), city=other_city(e), ind=ind, **kw)
        n["region"] = e["region"]
        if e["region"] == "prov" and n["city"] in MUNICIPALITIES:
            n["region"] = "city"
        n["legal"] = n["legal"] or ("有限公司" if n["region"] == "bracket" else "")
        n["name"] = render_cn(n)
    elif kind in ("same_brand_other_city", "brand_extended_other_city"):  # Summit Foods Ltd/Inc.
        exts = ("Group", "Partners", "International", "Asia", "Europe", "Services")
        ext = pick([x for x in exts if x not in e["desc"]])
        desc = e["desc"] + (f" {ext}" if kind == "brand_extended_other_city" else "")
        brand = (e["brand"], e["parts"])
        n = new_entity(lang, eid, brand=brand, city=other_city(e), desc=desc, **kw)
    elif kind == "similar_brand_same_city":  # 星辰科技 / 星海科技
        brand = new_cn_brand(base=e["brand"])
        n = new_entity(lang, eid, brand=brand, city=e["city"], ind=e["ind"], **kw)
    elif kind == "shared_words" and (e["parts"] or e["brand"] in EN_GENERIC and chance(0.5)):
        # Northgate Consulting / Northfield Consulting, Pacific Trading / Atlantic Trading
        n = new_entity(lang, eid, brand=new_en_brand(None, base=e), city=near, desc=e["desc"], **kw)
    elif kind == "shared_words":  # Global Trading Ltd / Global Logistics Ltd
        city = near or wpick([(c[0], c[3]) for c in EN_CITIES])
        descs = DE_DESC if ENCITY[city][2] == "DE" else EN_DESC
        desc = pick([d for d in descs if d != e["desc"]])
        n = new_entity(lang, eid, brand=(e["brand"], None), city=city, desc=desc, **kw)
    elif kind == "same_person_name":
        n = new_entity(lang, eid, city=near, persons=[pick(e["contacts"])["person"]], **kw)
    elif kind == "shared_freemail_domain":
        mail = pick([c["email"] for c in e["contacts"] if c["email"] and not c["company_email"]])
        city = e["city"] if chance(0.7) else None
        n = new_entity(lang, eid, city=city, free_domain=mail.split("@")[1], **kw)
    else:  # landline_same_local_number: the same local digits behind another area code
        phones = [c["phone"] for c in e["contacts"] if c["phone"]]
        local = pick([p["local"] for p in phones if p["kind"] == "landline" and len(p["local"]) == 8])  # fmt: skip
        city = pick([c[0] for c in CN_CITIES if c[5] == 8 and c[4] != CITY[e["city"]][4]])
        n = new_entity(lang, eid, city=city, landline_local=local, **kw)
    if kind.endswith("city") or kind == "landline_same_local_number":
        n["city_field"] = n["city_field"] or n["city"]
    return n


# ---------------------------------------------------------------- reference normalisers (checks)
SUFFIX2 = {"com.cn", "net.cn", "org.cn", "co.uk", "org.uk", "com.sg", "com.hk", "com.au", "co.jp"}
EN_LEGAL_WORDS = set("ltd limited co company inc incorporated llc corp corporation gmbh ag pte pty plc bv".split())  # fmt: skip
T2S = {t: s for s, t in TRAD.items()}
REGION_IN_BRACKETS = re.compile(r"\(({})[市省]?\)".format("|".join(REGIONS)))


def ref_phone(s):
    s = unicodedata.normalize("NFKC", s)
    s = re.split(r"转|分机|ext\.?|\bx(?=\d)", s, flags=re.I)[0].replace("(0)", "")
    d = re.sub(r"\D", "", s)
    if s.strip().lstrip("(").startswith("+"):
        return "+" + d
    if d.startswith("00"):
        return "+" + d[2:]
    if d.startswith("86") and len(d) >= 12:
        return "+" + d
    if len(d) == 11 and d[0] == "1":
        return "+86" + d
    return "+86" + d[1:] if d.startswith("0") and len(d) >= 10 else None  # no area code: weak only


def ref_domain(s):
    host = re.sub(r"^[a-z]+://", "", unicodedata.normalize("NFKC", s).strip().lower()).split("/")[0]
    labels = host.split("?")[0].split(".")
    return ".".join(labels[-3:] if ".".join(labels[-2:]) in SUFFIX2 else labels[-2:])


def ref_email(s):
    s = unicodedata.normalize("NFKC", s).strip()
    s = m.group(1) if (m := re.search(r"<([^>]+)>", s)) else s
    return re.sub(r"^mailto:\s*", "", s, flags=re.I).strip().lower()


def ref_uscc(s):
    s = re.sub(r"\s", "", unicodedata.normalize("NFKC", s)).upper().replace("O", "0")
    ok = len(s) == 18 and all(ch in USCC_ALPHABET for ch in s) and uscc_check(s[:17]) == s[17]
    return s if ok else None


def ref_name(s):
    s = "".join(T2S.get(ch, ch) for ch in unicodedata.normalize("NFKC", s).lower())
    s = s.replace("&", " and ").replace("l.l.c.", "llc").replace("b.v.", "bv")
    s = REGION_IN_BRACKETS.sub("", s)
    s = re.sub(r"(股份有限公司|有限责任公司|有限公司)$", "", re.sub(r"[^\w]+", " ", s).strip())
    words = s.split()
    while len(words) > 1 and words[-1] in EN_LEGAL_WORDS:
        words.pop()
    s = "".join(words)
    region = next((r for r in REGIONS if s.startswith(r)), "")
    return s[len(region) :].lstrip("市省")


def ref_keys(lead):
    keys = set()
    for c in lead["contacts"]:
        if c["phone"] and (p := ref_phone(c["phone"])):
            keys.add(("phone", p))
        if c["email"]:
            em = ref_email(c["email"])
            d = ref_domain(em.split("@")[1])
            keys |= {("email", em)} | ({("domain", d)} if d not in FREE_MAIL else set())
    if lead["website"]:
        keys.add(("domain", ref_domain(lead["website"])))
    if lead["uscc"]:
        assert (u := ref_uscc(lead["uscc"])), lead["uscc"]
        keys.add(("uscc", u))
    if lead["city"]:
        city = unicodedata.normalize("NFKC", lead["city"]).strip().rstrip("市").lower()
        keys.add(("name_city", (ref_name(lead["company_name"]), city)))
    return keys


def verify(records):
    owner = {}
    limits = {"company_name": 200, "website": 200, "province": 50, "city": 50, "industry": 80}
    for r in records:
        lead = r["lead"]
        assert all(len(lead[f]) <= n for f, n in limits.items()) and len(lead["contacts"]) <= 3, r
        assert all(c["name"] and len(c["phone"]) <= 40 for c in lead["contacts"]), r
        for k in ref_keys(lead) if r["role"] == "existing" else ():
            assert owner.setdefault(k, r["entity"]) == r["entity"], (k, r["id"], owner[k])
    for r in (r for r in records if r["role"] == "query"):
        keys = ref_keys(r["lead"])
        hits = {owner[k] for k in keys if k in owner}
        if r["kind"] == "lookalike":
            assert not hits, (r["id"], [k for k in keys if k in owner])
            continue
        assert hits <= {r["entity"]} and 1 <= len(r["variants"]) <= 3, r
        found = sorted({k[0] for k in keys if owner.get(k) == r["entity"]})
        assert found == r["links"], (r["id"], found, r["links"])
        assert (r["expect"] == "strong") == bool(found), r["id"]


# ---------------------------------------------------------------- main
def main():
    langs = ["cn"] * N_CN + ["en"] * N_EN
    rng.shuffle(langs)
    originals = [new_entity(lang, f"e{i:04d}") for i, lang in enumerate(langs, 1)]
    # a re-entry of a lead with nothing but a name can never be a strong match
    ids = lambda e: e["uscc"] or e["website"] or any(c["phone"] or c["email"] for c in e["contacts"])  # noqa: E731  # fmt: skip
    chosen = rng.sample([e for e in originals if e["city_field"] or ids(e)], N_REENTRY_ENTITIES)
    slots = chosen + rng.sample(chosen, N_DOUBLE)
    typo = {"cn": "name_homophone_typo", "en": "name_en_typo"}
    hard_ok = [i for i, e in enumerate(slots) if e["city_field"] and applicable(typo[e["lang"]], e, 0)]  # fmt: skip
    hard = set(rng.sample(hard_ok, N_HARD))
    queries = []
    for i, e in enumerate(slots):
        vs, (lead, links) = make_reentry(e, i in hard)
        expect = "weak" if i in hard else "strong"
        queries.append({"entity": e["id"], "role": "query", "kind": "reentry", "variants": vs,
                        "expect": expect, "links": links, "lead": lead})  # fmt: skip
    for lang, kind, count in LOOKALIKES:
        pool = [e for e in originals if e["lang"] == lang and eligible(kind, e)]
        targets = rng.sample(pool, min(count, len(pool)))
        for e in targets + rng.choices(pool, k=count - len(targets)):
            la = make_lookalike(kind, e, f"e{len(ENT) + 1:04d}")
            queries.append({"entity": la["id"], "role": "query", "kind": "lookalike", "variants": [kind], "like": e["id"],
                            "expect": "none", "links": [], "lead": lead_of(la)})  # fmt: skip
    rng.shuffle(queries)
    records = [{"id": f"o{i:04d}", "entity": e["id"], "role": "existing", "kind": "original", "variants": [], "lead": lead_of(e)}
               for i, e in enumerate(originals, 1)]  # fmt: skip
    records += [{"id": f"q{i:04d}", **q} for i, q in enumerate(queries, 1)]
    verify(records)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8") as f:
        f.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    summary(records)


def summary(records):
    lang = {e["id"]: e["lang"] for e in ENT.values()}
    reentries = [r for r in records if r["kind"] == "reentry"]
    leads = [r["lead"] for r in records]
    count = lambda xs: dict(Counter(xs).most_common())  # noqa: E731
    print(f"wrote {len(records)} records to {OUT.relative_to(OUT.parents[2])}")
    print("role/kind:", count(f"{r['role']}/{r['kind']}" for r in records))
    print("kind/language:", count(f"{r['kind']}/{lang[r['entity']]}" for r in records))
    print("re-entries expected:", count(r["expect"] for r in reentries))
    print("variants per re-entry:", count(len(r["variants"]) for r in reentries))
    print("strong links kept by re-entries:", count(x for r in reentries for x in r["links"]))
    print("linked by name + city only:", sum(r["links"] == ["name_city"] for r in reentries))
    print("look-alike types:", count(r["variants"][0] for r in records if r["kind"] == "lookalike"))
    for f in ("uscc", "website", "city", "industry", "contacts"):
        print(f"records with {f}: {sum(bool(x[f]) for x in leads)}")
    long_uscc = sum(len(x["uscc"]) > 18 for x in leads)
    odd_mail = sum(bool(re.search(r"[<:\s]", c["email"])) for x in leads for c in x["contacts"])
    print(f"beyond LeadInput's checks: {long_uscc} uscc > 18 chars, {odd_mail} e-mails not bare")
    print("re-entry variants:")
    for v, k in Counter(v for r in reentries for v in r["variants"]).most_common():
        print(f"  {v:24s} {k}")


if __name__ == "__main__":
    main()
