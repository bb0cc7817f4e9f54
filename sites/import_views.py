"""The coordinators' sites import: upload a register, see the dry run, apply it (sites/register_upload.py).
A bad file is answered with a message on the upload page, never an error page."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from sites import register_upload


class RegisterUploadForm(forms.Form):
    register = forms.FileField(
        label=gettext_lazy("Register (CSV, UTF-8)"),
        error_messages={
            "required": gettext_lazy("Please choose a file."),
            "empty": gettext_lazy("The file is empty."),
            "invalid": gettext_lazy("Please choose a file."),
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_register(self):
        upload = self.cleaned_data["register"]
        try:
            self.text = register_upload.register_read_upload(upload)
        except register_upload.UploadRefused as refusal:
            raise forms.ValidationError(str(refusal)) from refusal
        return upload


@permission_required("sites.add_site", raise_exception=True)
@require_http_methods(["GET", "POST"])
def sites_import(request):
    form = (
        RegisterUploadForm(request.POST, request.FILES) if request.method == "POST" else RegisterUploadForm()
    )
    if form.is_bound and form.is_valid():
        register_upload.register_keep(
            request.session, name=form.cleaned_data["register"].name, text=form.text
        )
        return redirect("sites_staff:import_preview")
    return render(request, "sites/import_upload.html", {"form": form})


@permission_required("sites.add_site", raise_exception=True)
@require_http_methods(["GET", "POST"])
def sites_import_preview(request):
    pending = register_upload.register_pending(request.session)
    if pending is None:
        messages.info(request, _("Please choose the register file first."))
        return redirect("sites_staff:import")
    if request.method == "POST":
        if request.POST.get("cancel"):
            register_upload.register_forget(request.session)
            messages.info(request, _("The import has been cancelled. Nothing was changed."))
            return redirect("sites_staff:import")
        if request.POST.get("token") != pending.token:
            messages.error(
                request, _("Another file was uploaded in the meantime. Please check this preview.")
            )
            return redirect("sites_staff:import_preview")
        report = register_upload.register_apply(pending, actor=request.user)
        register_upload.register_forget(request.session)
        messages.success(
            request,
            _("Sites imported: %(created)s created, %(updated)s updated, %(rejected)s rows rejected.")
            % {"created": report.created, "updated": report.updated, "rejected": len(report.rejected)},
        )
        return redirect("sites_staff:list")
    report = register_upload.register_preview(pending)
    changes = [row for row in report.written if row.outcome != "unchanged"]
    context = {"pending": pending, "report": report, "changes": changes}
    return render(request, "sites/import_preview.html", context)
