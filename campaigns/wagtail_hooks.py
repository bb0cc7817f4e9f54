"""Links from the Wagtail admin to the campaign pages of the staff area."""

from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem


class CoordinatorMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("campaigns.view_reachcount")


@hooks.register("register_admin_menu_item")
def campaign_reach_menu_item():
    return CoordinatorMenuItem(
        _("Campaign reach"), reverse_lazy("campaigns_staff:list"), icon_name="table", order=910
    )


@hooks.register("register_admin_menu_item")
def post_planner_menu_item():
    return MenuItem(_("Post planner"), reverse_lazy("campaigns_staff:planner"), icon_name="date", order=920)
