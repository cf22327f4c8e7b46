from django.contrib.auth.backends import ModelBackend

from linli.accounts.selectors import user_by_login


class PhoneOrUsernameBackend(ModelBackend):
    """Log in with a username or a mainland mobile number."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or not password:
            return None
        user = user_by_login(username)
        if user is None:
            # Spend the same time hashing as for a real user, so timing does not reveal
            # whether the account exists.
            self.user_model().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    @property
    def user_model(self):
        from linli.accounts.models import User

        return User
