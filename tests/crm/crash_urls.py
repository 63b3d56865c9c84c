"""The product's URLs plus two views that crash, for the error handlers' tests."""

from django.urls import path

from crm.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401


def crash(request):
    raise RuntimeError("boom: secret internals")


urlpatterns = [path("api/v1/crash/", crash), path("crash/", crash), *urlpatterns]
