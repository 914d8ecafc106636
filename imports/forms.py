"""The upload form: one file, limited in size and type, with a clear message when refused."""

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from imports.boundaries import BOUNDARY_EXTENSIONS, BOUNDARY_KIND
from imports.readers import ALLOWED_EXTENSIONS, MAX_UPLOAD_BYTES


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV (UTF-8 or Latin-1, comma or semicolon) or Excel .xlsx, up to %(size)s.")
        % {"size": filesizeformat(MAX_UPLOAD_BYTES)},
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ALLOWED_EXTENSIONS)}),
    )

    def __init__(self, *args, kind: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.extensions = BOUNDARY_EXTENSIONS if kind == BOUNDARY_KIND else ALLOWED_EXTENSIONS
        self.fields["file"].widget.attrs["accept"] = ",".join(self.extensions)
        if kind == BOUNDARY_KIND:
            self.fields["file"].help_text = _(
                "GeoJSON FeatureCollection, KML, or CSV / Excel with plot_code and boundary, "
                "up to %(size)s."
            ) % {"size": filesizeformat(MAX_UPLOAD_BYTES)}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s; the limit is %(limit)s. Split it into smaller files.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(MAX_UPLOAD_BYTES)}
            )
        if not upload.name.lower().endswith(self.extensions):
            raise forms.ValidationError(
                _("Only %(types)s files can be imported.") % {"types": ", ".join(self.extensions)}
            )
        return upload
