"""Who is on the other end of a request, as far as the public channels' limits and the
login lock-out need to know."""

import hashlib
import hmac

from django.conf import settings


def client_address(request) -> str:
    """The client's address: the peer, or the address the trusted proxies saw."""
    hops = settings.TRUSTED_PROXY_HOPS
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if hops and forwarded:
        chain = [part.strip() for part in forwarded.split(",") if part.strip()]
        if chain:
            return chain[-min(hops, len(chain))]
    return request.META.get("REMOTE_ADDR", "")


def client_hash(request) -> str:
    """A keyed hash of the client's address: enough to count one sender's submissions,
    without keeping the address itself."""
    address = client_address(request)
    if not address:
        return ""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, address.encode(), hashlib.sha256).hexdigest()
