"""Back-office URLs of park operations: 租控表, leases, warnings, renewals, finder, map."""

from django.urls import path

from parklink.office.views import dashboard, leases

urlpatterns: list = [
    path("leases/", leases.lease_list, name="lease-list"),
    path("leases/plan/", leases.stacking_plan, name="lease-plan"),
    path("leases/plan/import/", leases.grid_upload, name="lease-grid-import"),
    path("leases/warnings/", leases.warnings_page, name="lease-warnings"),
    path("leases/renewals/", leases.renewals_page, name="lease-renewals"),
    path("leases/finder/", leases.finder, name="lease-finder"),
    path("leases/<int:pk>/", leases.lease_detail, name="lease-detail"),
    path("leases/<int:pk>/terminate/", leases.lease_terminate, name="lease-terminate"),
    path("leases/<int:pk>/renewal/", leases.lease_renewal, name="lease-renewal"),
    path("map/", leases.map_page, name="map"),
    path("map/parks/<int:pk>/location/", leases.park_locate, name="map-park-locate"),
    path("dashboard.xlsx", dashboard.export_xlsx, name="dashboard-xlsx"),
    path("reports/weekly/", dashboard.weekly_download, name="report-weekly"),
]
