import factory
import pyotp
from django.utils import timezone

from linli.accounts.models import RoleAssignment, User
from linli.core.crypto import encrypt

PASSWORD = "Linli-Test-2026"


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"用户{n}")

    @factory.post_generation
    def password(obj: User, create, extracted, **kwargs):  # `obj`: the built user
        # Argon2 is slow on purpose; tests use a fast hasher set in conftest.
        obj.set_password(extracted or PASSWORD)
        if create:
            obj.save(update_fields=["password"])


def assign(user: User, role: str, area, unit=None) -> RoleAssignment:
    return RoleAssignment.objects.create(user=user, role=role, area=area, unit=unit)


def enrol_otp(user: User) -> pyotp.TOTP:
    secret = pyotp.random_base32()
    user.otp_secret_cipher = encrypt(secret)
    user.otp_confirmed_at = timezone.now()
    user.save(update_fields=["otp_secret_cipher", "otp_confirmed_at"])
    return pyotp.TOTP(secret)
