"""Ingredient pools for the evaluation set: brand characters with their pinyin, industries,
Chinese and international cities with their numbering plans, names, titles, legal forms and
free-mail services. Data only; nothing here draws from the random stream."""


def table(s):
    return [tuple(x.strip().split("/")) for x in s.split(";") if x.strip()]


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

# --- individuals (个人客户) and customers abroad: the second edition of the set ---------------
# simplified -> traditional for characters of the people's names above (a name typed in
# traditional characters, as a Hong Kong or Taiwan colleague would)
# fmt: off
PERSON_TRAD = {s: t for s, t in zip(
    "刘张陈杨黄赵吴孙马郑罗谢韩冯邓叶苏吕卢钟谭陆贾邹龚钱顾严蒋伟丽强军艳涛华国庆东晓鸣颖卫凯鹏辉静杰红瑶兰宁龙远乐刚",
    "劉張陳楊黃趙吳孫馬鄭羅謝韓馮鄧葉蘇呂盧鍾譚陸賈鄒龔錢顧嚴蔣偉麗強軍艷濤華國慶東曉鳴穎衛凱鵬輝靜傑紅瑤蘭寧龍遠樂剛", strict=True)}
# fmt: on
# ISO 3166 alpha-2 of the countries of EN_CITIES (which say "UK" for the market)
ISO = {"UK": "GB"}
# a district or suburb of each international city that no city list knows: a record there
# says which country it is in only through its `country` field
DISTRICTS = {
    "London": "Croydon", "Manchester": "Salford", "Edinburgh": "Leith", "Berlin": "Spandau",
    "Munich": "Garching", "Hamburg": "Altona", "New York": "Brooklyn", "San Francisco": "Sausalito",
    "Chicago": "Lincoln Park", "Singapore": "Tampines", "Hong Kong": "Mong Kok",
    "Sydney": "Parramatta", "Toronto": "Scarborough", "Amsterdam": "Amstelveen",
    "Dubai": "Jumeirah", "Tokyo": "Shinjuku",
}  # fmt: skip
