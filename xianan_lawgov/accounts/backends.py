from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    """axes' check first on every login: a locked user name or address is refused before
    its password is looked at. A check without a request (code calling ``authenticate``, as
    the test client's ``login`` does) has no address to lock and is let through to the
    password check; every login page passes its request."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)
