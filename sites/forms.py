from django import forms

from sites.models import Site


class SiteProfileForm(forms.ModelForm):
    class Meta:
        model = Site
        # The plain translated fields edit the text in the language the editor is working in.
        fields = [
            "street",
            "postcode",
            "town",
            "phone",
            "email",
            "description",
            "accessibility_notes",
            "directions",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "accessibility_notes": forms.Textarea(attrs={"rows": 3}),
            "directions": forms.Textarea(attrs={"rows": 3}),
        }
