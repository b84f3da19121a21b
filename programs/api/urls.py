from rest_framework.routers import SimpleRouter

from .views import ApplicationViewSet, CallViewSet, ProgramViewSet

router = SimpleRouter()
router.register("programs", ProgramViewSet, basename="program")
router.register("calls", CallViewSet, basename="call")
router.register("applications", ApplicationViewSet, basename="application")

urlpatterns = router.urls
