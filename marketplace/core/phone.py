import phonenumbers

from marketplace.core.errors import ValidationError


def normalise_phone(raw: str) -> str:
    """08xx, 628xx and +62 8xx all become E.164 (+628xx)."""
    from flask_babel import gettext as _

    try:
        number = phonenumbers.parse(raw, "ID")
    except phonenumbers.NumberParseException:
        raise ValidationError(_("Nomor telepon tidak valid."), field="phone") from None
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(_("Nomor telepon tidak valid."), field="phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
