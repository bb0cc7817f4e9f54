"""The coordinators' page for case labels: list with how many cases carry each, create, rename, and
delete after a confirmation that says how many cases lose the label. The work is in counseling/labels.py.
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from counseling import labels
from counseling.models import Label
from counseling.staff_forms import LabelForm


@permission_required("counseling.change_label", raise_exception=True)
@require_http_methods(["GET", "POST"])
def label_list(request):
    if request.method == "POST" and not request.user.has_perm("counseling.add_label"):
        raise PermissionDenied
    form = LabelForm(request.POST or None)
    if (
        form.is_bound
        and form.is_valid()
        and _saved(form, lambda name: labels.label_create(actor=request.user, name=name))
    ):
        messages.success(request, _("The label has been created."))
        return redirect("counseling_staff:label_list")
    context = {"labels": labels.labels_with_case_counts(), "form": form}
    return render(request, "counseling/staff/label_list.html", context)


@permission_required("counseling.change_label", raise_exception=True)
@require_http_methods(["GET", "POST"])
def label_edit(request, pk):
    label = get_object_or_404(Label, pk=pk)
    form = LabelForm(request.POST or None, instance=label)
    if (
        form.is_bound
        and form.is_valid()
        and _saved(form, lambda name: labels.label_rename(actor=request.user, label=label, name=name))
    ):
        messages.success(request, _("The label has been renamed."))
        return redirect("counseling_staff:label_list")
    context = {"label": Label.objects.get(pk=label.pk), "form": form}
    return render(request, "counseling/staff/label_edit.html", context)


@permission_required("counseling.delete_label", raise_exception=True)
@require_http_methods(["GET", "POST"])
def label_delete(request, pk):
    label = get_object_or_404(Label, pk=pk)
    if request.method == "POST":
        labels.label_delete(actor=request.user, label=label)
        messages.success(request, _("The label has been deleted."))
        return redirect("counseling_staff:label_list")
    context = {"label": label, "case_count": labels.label_case_count(label)}
    return render(request, "counseling/staff/label_delete.html", context)


def _saved(form, save) -> bool:
    """Save through the service; a colleague who took the same name a moment ago is a form error too."""
    try:
        save(form.cleaned_data["name"])
    except IntegrityError:
        form.add_error(
            "name", _("A label called %(name)s already exists.") % {"name": form.cleaned_data["name"]}
        )
        return False
    return True
