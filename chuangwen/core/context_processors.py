from django.conf import settings

from .navigation import items_for


def navigation(request):
    user = getattr(request, "user", None)
    return {
        "nav_items": items_for(user, request.path) if user is not None else [],
        "map_tile_url": settings.MAP_TILE_URL,
        "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION,
    }
