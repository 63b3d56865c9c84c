"""Normalisation for duplicate detection (查重), e-mail addresses and company domains.

Pure functions, no database."""

import pytest

from leads.dedupe.normalize import (
    company_domain,
    normalize_email,
)

# --- E-mail ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("zs@example.com", "zs@example.com"),
        ("  ZS@Example.COM  ", "zs@example.com"),
        ("mailto:ZS@Example.com", "zs@example.com"),
        ("MAILTO:zs@example.com?subject=Hello", "zs@example.com"),
        ("Zhang San <ZS@Example.COM>", "zs@example.com"),
        ('"Li, Si" <li.si@huawei.com>', "li.si@huawei.com"),
        ("张三 <zhangsan@example.cn>", "zhangsan@example.cn"),
        ("ＺＳ＠ｅｘａｍｐｌｅ．ｃｏｍ", "zs@example.com"),
        ("zs＠example.com", "zs@example.com"),
        ("zs@example。com", "zs@example.com"),
        ("zs@example.com.", "zs@example.com"),
        ("zs@example.com;", "zs@example.com"),
        ("zs@example.com (work)", "zs@example.com"),
        ("zs [at] example [dot] com", "zs@example.com"),
        ("zs(at)example.com", "zs@example.com"),
        ("user+tag@sub.example.co.uk", "user+tag@sub.example.co.uk"),
        ("first.last@example.com.cn", "first.last@example.com.cn"),
        ("a@x.com; b@y.com", "a@x.com"),
        ("邮箱：zs@example.com", "zs@example.com"),
    ],
)
def test_email_normalised(raw, expected):
    assert normalize_email(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "none",
        "zs",
        "zs@",
        "@example.com",
        "zs@example",
        "zs@example.c",
        "zs@@example.com",
        "zs..x@example.com",
        "zs@-example.com",
        "zs@exa_mple.com",
        "Zhang San <>",
        "www.example.com",
    ],
)
def test_email_rejected(raw):
    assert normalize_email(raw) is None


# --- Company domains ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("https://www.Huawei.com/cn/about", "huawei.com"),
        ("HTTPS://WWW.HUAWEI.COM", "huawei.com"),
        ("www.huawei.com.cn", "huawei.com.cn"),
        ("huawei.com", "huawei.com"),
        ("huawei.com/", "huawei.com"),
        ("//huawei.com", "huawei.com"),
        ("  https://www.huawei.com  ", "huawei.com"),
        ("http://shop.example.co.uk:8080/x", "example.co.uk"),
        ("http://user:secret@example.com:80/path", "example.com"),
        ("ftp://files.acme.cn/pub", "acme.cn"),
        ("acme.com/path?q=1#top", "acme.com"),
        ("www.example.com.", "example.com"),
        ("ｗｗｗ．ｈｕａｗｅｉ．ｃｏｍ", "huawei.com"),
        ("www.huawei.com；www.honor.com", "huawei.com"),
        ("li@huawei.com", "huawei.com"),
        ("LI@Mail.Huawei.COM", "huawei.com"),
        ("Zhang San <li@huawei.com>", "huawei.com"),
        ("mailto:li@huawei.com", "huawei.com"),
        ("https://foo.github.io/bar", "foo.github.io"),
        ("abc.blogspot.com", "abc.blogspot.com"),
        ("https://www.baidu.com", "baidu.com"),
        ("https://corp.163yun.com", "163yun.com"),
        ("http://中文.中国", "中文.中国"),
    ],
)
def test_company_domain(raw, expected):
    assert company_domain(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "zs@qq.com",
        "zs@QQ.COM",
        "zs@vip.qq.com",
        "zs@foxmail.com",
        "zs@163.com",
        "zs@vip.163.com",
        "zs@126.com",
        "zs@yeah.net",
        "zs@sina.com",
        "zs@sina.cn",
        "zs@sohu.com",
        "zs@139.com",
        "zs@189.cn",
        "zs@aliyun.com",
        "zs@21cn.com",
        "zs@tom.com",
        "zs@163.net",
        "zs@gmail.com",
        "zs@googlemail.com",
        "zs@outlook.com",
        "zs@hotmail.com",
        "zs@live.com",
        "zs@msn.com",
        "zs@yahoo.com",
        "zs@yahoo.com.cn",
        "zs@icloud.com",
        "zs@me.com",
        "zs@aol.com",
        "zs@proton.me",
        "zs@protonmail.com",
        "zs@gmx.de",
        "zs@gmx.net",
        "zs@web.de",
        "zs@mail.ru",
        "zs@yandex.ru",
        "https://mail.qq.com",
        "www.163.com",
    ],
)
def test_company_domain_free_mail_is_none(raw):
    assert company_domain(raw) is None


@pytest.mark.parametrize(
    "raw",
    [
        "https://shop123456.taobao.com",
        "https://acme.tmall.com/",
        "https://mall.jd.com/index-1000.html",
        "https://shop1234.1688.com",
        "https://weibo.com/acme",
        "https://mp.weixin.qq.com/s/abcdef",
        "https://www.douyin.com/user/x",
        "https://www.facebook.com/acme",
        "https://www.linkedin.com/company/acme",
        "https://github.com/acme",
        "https://github.io",
        "wixsite.com",
        "https://baike.baidu.com/item/acme",
        "https://www.xiaohongshu.com/user/profile/1",
        "https://www.qcc.com/firm/abc.html",
        "https://sites.google.com/view/acme",
    ],
)
def test_company_domain_platforms_are_none(raw):
    assert company_domain(raw) is None


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "-",
        "无",
        "n/a",
        "www",
        "localhost",
        "http://",
        "http://192.168.1.1/admin",
        "10.0.0.8:8080",
        "http://[::1]/",
        "http://exa mple.com",
        "a@b",
        "not a website",
        "http://-acme-.com",
        "com",
        "co.uk",
    ],
)
def test_company_domain_garbage_is_none(raw):
    assert company_domain(raw) is None
