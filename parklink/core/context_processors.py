from django.http import HttpRequest

from parklink.core.site import site_name


def site(request: HttpRequest) -> dict[str, object]:
    return {"site_name": site_name()}
