"""Word lists for duplicate detection: Chinese regions, legal forms, trade words, mail domains.

Plain data only; `normalize` derives its lookup tables (pinyin keys, alias maps) from these
lists lazily on first use. Region names are stored bare (without 省/市) unless a form with
its suffix is the only sensible spelling (autonomous prefectures, leagues, regions)."""

# --- Provincial-level divisions (34): (bare name, official full name) -------------------

PROVINCES: tuple[tuple[str, str], ...] = (
    ("北京", "北京市"),
    ("天津", "天津市"),
    ("上海", "上海市"),
    ("重庆", "重庆市"),
    ("河北", "河北省"),
    ("山西", "山西省"),
    ("辽宁", "辽宁省"),
    ("吉林", "吉林省"),
    ("黑龙江", "黑龙江省"),
    ("江苏", "江苏省"),
    ("浙江", "浙江省"),
    ("安徽", "安徽省"),
    ("福建", "福建省"),
    ("江西", "江西省"),
    ("山东", "山东省"),
    ("河南", "河南省"),
    ("湖北", "湖北省"),
    ("湖南", "湖南省"),
    ("广东", "广东省"),
    ("海南", "海南省"),
    ("四川", "四川省"),
    ("贵州", "贵州省"),
    ("云南", "云南省"),
    ("陕西", "陕西省"),
    ("甘肃", "甘肃省"),
    ("青海", "青海省"),
    ("台湾", "台湾省"),
    ("内蒙古", "内蒙古自治区"),
    ("广西", "广西壮族自治区"),
    ("西藏", "西藏自治区"),
    ("宁夏", "宁夏回族自治区"),
    ("新疆", "新疆维吾尔自治区"),
    ("香港", "香港特别行政区"),
    ("澳门", "澳门特别行政区"),
)

# Provincial-level divisions that are themselves one city: a prefix "北京" is a city.
CITY_PROVINCES: frozenset[str] = frozenset({"北京", "天津", "上海", "重庆", "香港", "澳门"})

# --- Prefecture-level cities (293), by province ----------------------------------------

PREFECTURE_CITIES: tuple[str, ...] = (
    # 河北
    "石家庄", "唐山", "秦皇岛", "邯郸", "邢台", "保定", "张家口", "承德", "沧州", "廊坊", "衡水",
    # 山西
    "太原", "大同", "阳泉", "长治", "晋城", "朔州", "晋中", "运城", "忻州", "临汾", "吕梁",
    # 内蒙古
    "呼和浩特", "包头", "乌海", "赤峰", "通辽", "鄂尔多斯", "呼伦贝尔", "巴彦淖尔", "乌兰察布",
    # 辽宁
    "沈阳", "大连", "鞍山", "抚顺", "本溪", "丹东", "锦州", "营口", "阜新", "辽阳", "盘锦",
    "铁岭", "朝阳", "葫芦岛",
    # 吉林
    "长春", "吉林", "四平", "辽源", "通化", "白山", "松原", "白城",
    # 黑龙江
    "哈尔滨", "齐齐哈尔", "鸡西", "鹤岗", "双鸭山", "大庆", "伊春", "佳木斯", "七台河", "牡丹江",
    "黑河", "绥化",
    # 江苏
    "南京", "无锡", "徐州", "常州", "苏州", "南通", "连云港", "淮安", "盐城", "扬州", "镇江",
    "泰州", "宿迁",
    # 浙江
    "杭州", "宁波", "温州", "嘉兴", "湖州", "绍兴", "金华", "衢州", "舟山", "台州", "丽水",
    # 安徽
    "合肥", "芜湖", "蚌埠", "淮南", "马鞍山", "淮北", "铜陵", "安庆", "黄山", "滁州", "阜阳",
    "宿州", "六安", "亳州", "池州", "宣城",
    # 福建
    "福州", "厦门", "莆田", "三明", "泉州", "漳州", "南平", "龙岩", "宁德",
    # 江西
    "南昌", "景德镇", "萍乡", "九江", "新余", "鹰潭", "赣州", "吉安", "宜春", "抚州", "上饶",
    # 山东
    "济南", "青岛", "淄博", "枣庄", "东营", "烟台", "潍坊", "济宁", "泰安", "威海", "日照",
    "临沂", "德州", "聊城", "滨州", "菏泽",
    # 河南
    "郑州", "开封", "洛阳", "平顶山", "安阳", "鹤壁", "新乡", "焦作", "濮阳", "许昌", "漯河",
    "三门峡", "南阳", "商丘", "信阳", "周口", "驻马店",
    # 湖北
    "武汉", "黄石", "十堰", "宜昌", "襄阳", "鄂州", "荆门", "孝感", "荆州", "黄冈", "咸宁",
    "随州",
    # 湖南
    "长沙", "株洲", "湘潭", "衡阳", "邵阳", "岳阳", "常德", "张家界", "益阳", "郴州", "永州",
    "怀化", "娄底",
    # 广东
    "广州", "韶关", "深圳", "珠海", "汕头", "佛山", "江门", "湛江", "茂名", "肇庆", "惠州",
    "梅州", "汕尾", "河源", "阳江", "清远", "东莞", "中山", "潮州", "揭阳", "云浮",
    # 广西
    "南宁", "柳州", "桂林", "梧州", "北海", "防城港", "钦州", "贵港", "玉林", "百色", "贺州",
    "河池", "来宾", "崇左",
    # 海南
    "海口", "三亚", "三沙", "儋州",
    # 四川
    "成都", "自贡", "攀枝花", "泸州", "德阳", "绵阳", "广元", "遂宁", "内江", "乐山", "南充",
    "眉山", "宜宾", "广安", "达州", "雅安", "巴中", "资阳",
    # 贵州
    "贵阳", "六盘水", "遵义", "安顺", "毕节", "铜仁",
    # 云南
    "昆明", "曲靖", "玉溪", "保山", "昭通", "丽江", "普洱", "临沧",
    # 西藏
    "拉萨", "日喀则", "昌都", "林芝", "山南", "那曲",
    # 陕西
    "西安", "铜川", "宝鸡", "咸阳", "渭南", "延安", "汉中", "榆林", "安康", "商洛",
    # 甘肃
    "兰州", "嘉峪关", "金昌", "白银", "天水", "武威", "张掖", "平凉", "酒泉", "庆阳", "定西",
    "陇南",
    # 青海
    "西宁", "海东",
    # 宁夏
    "银川", "石嘴山", "吴忠", "固原", "中卫",
    # 新疆
    "乌鲁木齐", "克拉玛依", "吐鲁番", "哈密",
)  # fmt: skip

# --- Other prefecture-level divisions (40): autonomous prefectures (30), regions (地区, 7),
# leagues (盟, 3): (short name, official name). "州" after the short name ("恩施州") is the
# everyday spelling for autonomous prefectures and is accepted as well.

PREFECTURE_OTHER: tuple[tuple[str, str], ...] = (
    ("延边", "延边朝鲜族自治州"),
    ("大兴安岭", "大兴安岭地区"),
    ("兴安", "兴安盟"),
    ("锡林郭勒", "锡林郭勒盟"),
    ("阿拉善", "阿拉善盟"),
    ("恩施", "恩施土家族苗族自治州"),
    ("湘西", "湘西土家族苗族自治州"),
    ("阿坝", "阿坝藏族羌族自治州"),
    ("甘孜", "甘孜藏族自治州"),
    ("凉山", "凉山彝族自治州"),
    ("黔西南", "黔西南布依族苗族自治州"),
    ("黔东南", "黔东南苗族侗族自治州"),
    ("黔南", "黔南布依族苗族自治州"),
    ("楚雄", "楚雄彝族自治州"),
    ("红河", "红河哈尼族彝族自治州"),
    ("文山", "文山壮族苗族自治州"),
    ("西双版纳", "西双版纳傣族自治州"),
    ("大理", "大理白族自治州"),
    ("德宏", "德宏傣族景颇族自治州"),
    ("怒江", "怒江傈僳族自治州"),
    ("迪庆", "迪庆藏族自治州"),
    ("阿里", "阿里地区"),
    ("临夏", "临夏回族自治州"),
    ("甘南", "甘南藏族自治州"),
    ("海北", "海北藏族自治州"),
    ("黄南", "黄南藏族自治州"),
    ("海南", "海南藏族自治州"),
    ("果洛", "果洛藏族自治州"),
    ("玉树", "玉树藏族自治州"),
    ("海西", "海西蒙古族藏族自治州"),
    ("昌吉", "昌吉回族自治州"),
    ("博尔塔拉", "博尔塔拉蒙古自治州"),
    ("巴音郭楞", "巴音郭楞蒙古自治州"),
    ("克孜勒苏", "克孜勒苏柯尔克孜自治州"),
    ("伊犁", "伊犁哈萨克自治州"),
    ("阿克苏", "阿克苏地区"),
    ("喀什", "喀什地区"),
    ("和田", "和田地区"),
    ("塔城", "塔城地区"),
    ("阿勒泰", "阿勒泰地区"),
)

# --- County-level cities often written as a company-name prefix (and the county-level
# cities administered directly by a province or the XPCC that businesses use). -----------

COUNTY_CITIES: tuple[str, ...] = (
    # 江苏
    "昆山", "江阴", "宜兴", "常熟", "张家港", "太仓", "丹阳", "靖江", "溧阳", "如皋", "启东",
    "海安", "泰兴", "兴化", "高邮", "仪征", "邳州", "新沂", "扬中", "句容",
    # 浙江
    "义乌", "慈溪", "余姚", "诸暨", "海宁", "桐乡", "平湖", "温岭", "乐清", "瑞安", "永康",
    "东阳", "临海", "嵊州", "建德",
    # 福建
    "晋江", "石狮", "南安", "福清", "龙海", "武夷山",
    # 山东
    "寿光", "胶州", "平度", "龙口", "莱州", "招远", "荣成", "诸城", "青州", "邹城", "滕州",
    "曲阜", "莱西", "乳山",
    # 广东
    "普宁", "英德", "台山", "开平", "鹤山", "四会",
    # 河南 / 湖北 / 湖南
    "济源", "巩义", "新郑", "禹州", "长葛", "仙桃", "潜江", "天门", "大冶", "宜都", "浏阳",
    "醴陵", "宁乡",
    # 东北 / 西部 / 边境口岸
    "瓦房店", "庄河", "海城", "绥芬河", "珲春", "满洲里", "二连浩特", "都江堰", "彭州", "简阳",
    "峨眉山", "仁怀", "景洪", "瑞丽", "格尔木", "库尔勒", "霍尔果斯", "石河子", "凭祥", "东兴",
    # 海南
    "琼海", "文昌", "万宁",
)  # fmt: skip

TAIWAN_CITIES: tuple[str, ...] = (
    "台北", "新北", "桃园", "台中", "台南", "高雄", "基隆", "新竹", "嘉义",
)  # fmt: skip

# Ethnic groups named in autonomous areas ("延边朝鲜族自治州"), for stripping such suffixes.
ETHNIC_GROUPS: tuple[str, ...] = (
    "朝鲜", "土家", "苗", "侗", "布依", "彝", "哈尼", "壮", "傣", "景颇", "傈僳", "藏", "羌",
    "回", "蒙古", "白", "柯尔克孜", "哈萨克", "维吾尔", "满", "瑶", "畲", "黎", "水", "仡佬",
    "土", "撒拉", "纳西", "佤", "拉祜", "独龙", "怒", "普米", "鄂温克", "达斡尔", "鄂伦春",
    "锡伯", "裕固", "东乡", "保安", "仫佬", "毛南", "京", "基诺", "阿昌", "德昂", "布朗",
    "门巴", "珞巴", "塔吉克", "俄罗斯", "乌孜别克", "塔塔尔", "赫哲", "各",
)  # fmt: skip

# Bare names that are also ordinary words or common brand starts ("东方航空", "三明治",
# "白银期货", "阿里巴巴", "中山大学"): stripped from the front of a company name only when
# written with their suffix ("中山市…"). In brackets, branch names and city fields they are
# always recognised.
AMBIGUOUS_BARE: frozenset[str] = frozenset({
    "阿里", "兴安", "中山", "三明", "白银", "朝阳", "大同", "来宾", "长治", "吉安", "安康",
    "黄山", "红河", "海北", "海西", "玉树", "文山", "白山", "东阳", "东兴", "永康", "天门",
    "北海", "海城", "文昌", "万宁", "新北", "日照", "大理", "海东",
})  # fmt: skip

# City keys are the toneless pinyin of the bare name; these names need a different key
# (pypinyin picks the wrong reading, or an established Latin spelling is the key).
PINYIN_OVERRIDES: dict[str, str] = {
    "长治": "changzhi",
    "朝阳": "chaoyang",
    "漯河": "luohe",
    "昌都": "changdu",
    "锡林郭勒": "xilinguole",
    "阿勒泰": "aletai",
    "库尔勒": "kuerle",
    "长葛": "changge",
    "宜都": "yidu",
    "珲春": "hunchun",
    "香港": "hongkong",
    "澳门": "macau",
    "台北": "taipei",
}

# Latin spellings that are not the pinyin of a name above -> city key.
LATIN_ALIASES: dict[str, str] = {
    "hongkong": "hongkong",
    "hk": "hongkong",
    "xianggang": "hongkong",
    "macao": "macau",
    "aomen": "macau",
    "taibei": "taipei",
    "kaohsiung": "gaoxiong",
    "taichung": "taizhong",
    "hsinchu": "xinzhu",
    "keelung": "jilong",
    "chiayi": "jiayi",
    "newtaipei": "xinbei",
    "shaanxi": "shanxi",
    "innermongolia": "neimenggu",
    "tibet": "xizang",
    "peking": "beijing",
    "canton": "guangzhou",
    "amoy": "xiamen",
    "tsingtao": "qingdao",
    "urumqi": "wulumuqi",
    "harbin": "haerbin",
    "hohhot": "huhehaote",
    "lhasa": "lasa",
    "kashgar": "kashi",
}

# Latin city keys not stripped from the front of an English name: short or ordinary words.
LATIN_PREFIX_EXCLUDED: frozenset[str] = frozenset({"hk", "canton", "amoy", "peking", "baise"})

# Country words: a bracket holding only these ("（中国）", "(China)") is dropped, no city.
COUNTRY_WORDS: frozenset[str] = frozenset({
    "中国", "中国大陆", "大陆", "china", "prc", "prchina", "mainlandchina", "chinamainland",
})  # fmt: skip

# --- Legal forms -----------------------------------------------------------------------

# Stripped from the end of a Chinese name, repeatedly, longest first. "集团" is not here:
# "…集团股份有限公司" keeps "集团" (a trade word, stripped for the brand only).
LEGAL_FORMS_CN: tuple[str, ...] = (
    "股份有限公司", "有限责任公司", "有限公司", "股份公司", "总公司", "公司", "有限",
    "特殊普通合伙", "有限合伙", "普通合伙", "合伙企业", "个人独资企业", "独资企业",
    "个体工商户", "股份合作社", "专业合作社", "合作社", "株式会社", "有限会社",
    "工作室", "经营部", "门市部", "商行", "工厂", "厂",
)  # fmt: skip

# A branch suffix; a region just before it ("北京分公司") is the branch's city.
BRANCH_FORMS_CN: tuple[str, ...] = (
    "分公司", "分行", "支行", "分厂", "代表处", "办事处", "营业部", "分部", "分店", "分社",
)  # fmt: skip

# English legal forms, as token sequences (dots dropped first: "s.a.r.l." -> "sarl"),
# stripped from the end, repeatedly, longest first.
LEGAL_FORMS_EN: tuple[tuple[str, ...], ...] = (
    ("public", "limited", "company"),
    ("private", "limited"),
    ("company", "limited"),
    ("company", "ltd"),
    ("co", "ltd"),
    ("co", "limited"),
    ("co", "inc"),
    ("pte", "ltd"),
    ("pty", "ltd"),
    ("pvt", "ltd"),
    ("sdn", "bhd"),
    ("de", "cv"),
    ("co", "kg"),
    ("ltd",), ("limited",), ("inc",), ("incorporated",), ("corp",), ("corporation",),
    ("llc",), ("plc",), ("llp",), ("lp",), ("gmbh",), ("ag",), ("sa",), ("sas",), ("sarl",),
    ("srl",), ("spa",), ("bv",), ("nv",), ("oy",), ("oyj",), ("ab",), ("asa",), ("aps",),
    ("kk",), ("se",), ("kg",), ("ltda",), ("lda",), ("bhd",), ("pte",), ("pty",), ("co",),
    ("company",),
)  # fmt: skip

# --- Trade / descriptor words (stripped from the end of the core for the brand) ---------

INDUSTRY_WORDS_CN: tuple[str, ...] = (
    "科技", "技术", "信息", "信息技术", "网络", "网络科技", "电子", "电子商务", "电商", "软件",
    "数据", "大数据", "智能", "人工智能", "数字", "数码", "云计算", "物联网", "区块链",
    "贸易", "商贸", "经贸", "外贸", "进出口", "实业", "发展", "投资", "控股", "集团", "咨询",
    "管理", "企业管理", "服务", "商务", "文化", "传媒", "传播", "广告", "营销", "策划", "会展",
    "教育", "培训", "医疗", "医疗器械", "器械", "医药", "生物", "制药", "药业", "健康",
    "机械", "设备", "工程", "建设", "建筑", "建材", "装饰", "装修", "设计", "材料", "新材料",
    "化工", "化学", "能源", "新能源", "环保", "环境", "物流", "供应链", "运输", "货运",
    "快递", "仓储", "餐饮", "食品", "饮品", "酒店", "旅游", "旅行社", "房地产", "地产",
    "置业", "物业", "汽车", "金融", "保险", "资产", "资本", "国际", "电器", "电气", "光电",
    "通信", "通讯", "互联网", "计算机", "系统", "工业", "制造", "智造", "纺织", "服饰", "服装",
    "家居", "家具", "农业", "印刷", "包装", "科学", "研究院", "研究所", "超市", "百货", "商场",
    "商店", "便利店", "零售", "批发", "半导体", "集成电路", "自动化", "仪器", "仪表", "五金",
    "塑胶", "塑料", "橡胶", "钢铁", "金属", "矿业", "石油", "石化", "电力", "照明", "光伏",
    "安防", "创新", "人力资源", "劳务", "影视", "娱乐", "体育", "游戏", "动漫", "美容",
    "茶业", "酒业", "水产", "养殖", "园林", "绿化", "交通", "航运", "船舶", "电池", "储能",
    "航空", "银行", "证券", "基金", "期货", "信托", "担保", "租赁", "保理", "小额贷款",
    "啤酒", "白酒", "乳业", "水泥", "灯饰", "电信", "商业", "大学", "学院", "医院", "中学",
    "小学", "幼儿园", "出版社", "报社", "日报", "电视台", "机场", "地铁", "公交", "铁路",
    "港务", "水务", "燃气", "热力", "烟草", "工贸", "鞋业", "纸业", "木业", "家纺", "陶瓷",
    "玻璃", "门窗", "灯具", "玩具", "眼镜", "珠宝", "首饰", "皮革", "箱包", "制衣", "织造",
    "印染", "电机", "阀门", "泵业", "轴承", "模具", "铸造", "锻造", "线缆", "电缆", "汽配",
    "配件", "零部件", "餐饮店",
)  # fmt: skip

INDUSTRY_WORDS_EN: frozenset[str] = frozenset({
    "technology", "technologies", "tech", "software", "systems", "system", "solutions",
    "solution", "services", "service", "consulting", "consultants", "consultancy", "trading",
    "trade", "traders", "international", "intl", "global", "worldwide", "group", "holdings",
    "holding", "industries", "industrial", "industry", "enterprises", "enterprise",
    "logistics", "digital", "media", "labs", "lab", "partners", "ventures", "capital",
    "investment", "investments", "management", "network", "networks", "electronics",
    "electronic", "engineering", "manufacturing", "products", "materials", "energy",
    "pharmaceuticals", "pharmaceutical", "pharma", "biotech", "medical", "healthcare",
    "foods", "food", "import", "export", "development", "communications", "communication",
    "information", "internet", "data", "innovations", "innovation", "resources", "supply",
    "chain", "commerce", "ecommerce", "marketing", "design", "studio", "studios",
    "retail", "retailers", "wholesale", "distribution", "distributors", "health", "care",
    "clinic", "construction", "builders", "property", "properties", "realty", "estate",
    "real", "textiles", "textile", "apparel", "fashion", "furniture", "packaging", "printing",
    "chemicals", "chemical", "plastics", "metals", "steel", "machinery", "equipment", "tools",
    "automotive", "motors", "auto", "transport", "shipping", "freight", "aviation", "travel",
    "tourism", "hotels", "hotel", "hospitality", "restaurants", "catering", "beverages",
    "agriculture", "agri", "farms", "education", "training", "academy", "institute",
    "research", "analytics", "security", "insurance", "finance", "financial", "bank",
    "advisors", "advisory", "associates", "agency", "publishing", "entertainment", "games",
    "robotics", "semiconductor", "semiconductors", "devices", "instruments", "optics",
    "power", "solar", "environmental", "water", "mining", "oil", "gas", "petroleum",
    "logistik", "technik", "handel", "systeme", "verpackung", "beratung", "dienstleistungen",
    "co", "company", "brands", "works", "factory", "store", "stores", "shop", "market",
})  # fmt: skip

# --- Domains -----------------------------------------------------------------------------

FREE_MAIL_DOMAINS: frozenset[str] = frozenset({
    # China
    "qq.com", "vip.qq.com", "foxmail.com", "163.com", "vip.163.com", "126.com", "vip.126.com",
    "yeah.net", "188.com", "163.net", "netease.com", "sina.com", "sina.cn", "vip.sina.com",
    "sina.com.cn", "sohu.com", "vip.sohu.com", "139.com", "189.cn", "wo.cn", "wo.com.cn",
    "aliyun.com", "21cn.com", "tom.com", "263.net", "china.com", "eyou.com", "2980.com",
    "yahoo.com.cn", "yahoo.cn", "live.cn", "hotmail.com.cn", "outlook.com.cn",
    # International
    "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "msn.com",
    "hotmail.co.uk", "hotmail.fr", "hotmail.de", "hotmail.it", "hotmail.es", "live.co.uk",
    "outlook.de", "outlook.fr", "outlook.jp", "yahoo.com", "yahoo.co.uk", "yahoo.co.jp",
    "yahoo.com.hk", "yahoo.com.tw", "yahoo.com.sg", "yahoo.fr", "yahoo.de", "ymail.com",
    "rocketmail.com", "icloud.com", "me.com", "mac.com", "aol.com", "proton.me", "pm.me",
    "protonmail.com", "protonmail.ch", "tutanota.com", "tuta.io", "fastmail.com", "hey.com",
    "zoho.com", "zohomail.com", "mail.com", "gmx.de", "gmx.net", "gmx.com", "gmx.at", "web.de",
    "t-online.de", "freenet.de", "mail.ru", "inbox.ru", "list.ru", "bk.ru", "yandex.ru",
    "yandex.com", "ya.ru", "rambler.ru", "ukr.net", "naver.com", "daum.net", "hanmail.net",
    "seznam.cz", "libero.it", "orange.fr", "free.fr", "laposte.net", "btinternet.com",
    "comcast.net", "verizon.net", "att.net", "sbcglobal.net", "rediffmail.com", "hushmail.com",
    # Internet providers' mailboxes
    "netvigator.com", "biznetvigator.com", "hkbn.net", "bigpond.com", "bigpond.net.au",
    "optusnet.com.au", "iinet.net.au", "shaw.ca", "rogers.com", "sympatico.ca", "telus.net",
    "xtra.co.nz", "singnet.com.sg", "pacific.net.sg", "starhub.net.sg", "wanadoo.fr", "sfr.fr",
    "neuf.fr", "virgilio.it", "tiscali.it", "alice.it", "tin.it", "terra.com.br", "uol.com.br",
    "bol.com.br", "ntlworld.com", "sky.com", "talktalk.net", "virginmedia.com",
    "blueyonder.co.uk", "cox.net", "charter.net", "earthlink.net", "optonline.net", "juno.com",
    "arcor.de", "online.de", "bluewin.ch", "hispeed.ch", "telenet.be", "skynet.be",
    "planet.nl", "ziggo.nl", "kpnmail.nl", "telia.com", "wp.pl", "o2.pl", "interia.pl",
})  # fmt: skip

# Free-mail brands under any country suffix (yahoo.com.hk, hotmail.co.uk, gmx.ch, ...).
FREE_MAIL_BRANDS: frozenset[str] = frozenset({
    "yahoo", "ymail", "rocketmail", "hotmail", "outlook", "gmail", "googlemail", "gmx",
    "icloud", "aol", "protonmail", "yandex", "foxmail",
})  # fmt: skip

# Shared platforms where many companies have a page: the domain says nothing about which.
PLATFORM_DOMAINS: frozenset[str] = frozenset({
    # Chinese commerce, social and directory sites
    "taobao.com", "tmall.com", "tmall.hk", "jd.com", "jd.hk", "1688.com", "alibaba.com",
    "aliexpress.com", "pinduoduo.com", "yangkeduo.com", "youzan.com", "weidian.com",
    "weibo.com", "weibo.cn", "t.cn", "mp.weixin.qq.com", "weixin.qq.com", "wechat.com",
    "douyin.com", "kuaishou.com", "xiaohongshu.com", "xhslink.com", "bilibili.com",
    "zhihu.com", "toutiao.com", "ixigua.com", "baike.baidu.com", "tieba.baidu.com",
    "aiqicha.baidu.com", "map.baidu.com", "jianshu.com", "csdn.net", "cnblogs.com",
    "gitee.com", "yuque.com", "feishu.cn", "dianping.com", "meituan.com", "ele.me",
    "58.com", "ganji.com", "qcc.com", "tianyancha.com", "qixin.com", "zhaopin.com",
    "51job.com", "liepin.com", "zhipin.com", "made-in-china.com", "globalsources.com",
    "hc360.com", "url.cn",
    # International
    "facebook.com", "fb.com", "linkedin.com", "github.com", "twitter.com", "x.com",
    "instagram.com", "youtube.com", "youtu.be", "tiktok.com", "medium.com", "wixsite.com",
    "wix.com", "weebly.com", "wordpress.com", "tumblr.com", "pinterest.com", "yelp.com",
    "crunchbase.com", "wikipedia.org", "about.me", "linktr.ee", "sites.google.com",
    "maps.google.com", "goo.gl", "bit.ly", "amazon.com", "ebay.com", "etsy.com", "vk.com",
    "t.me", "wa.me", "line.me", "whatsapp.com",
})  # fmt: skip
