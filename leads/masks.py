"""How a contact's phone and e-mail are shown to someone who may not see them in full."""


def mask_phone(phone: str) -> str:
    digits = [c for c in phone if c.isdigit()]
    if len(digits) < 7:
        return "*" * len(digits)
    return "".join(digits[:3]) + "****" + "".join(digits[-4:])


def mask_email(email: str) -> str:
    local, _, domain = email.partition("@")
    if not domain:
        return "***"
    return (local[:1] or "*") + "***@" + domain


def mask_id_number(value: str) -> str:
    if len(value) <= 6:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 7) + value[-3:]
