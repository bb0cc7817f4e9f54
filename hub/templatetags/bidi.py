"""Template filters for bidirectional isolation; the rules and their reasons are in hub/bidi.py.

{% load bidi %}
<a href="tel:…">{{ site.phone|ltr }}</a>          → <bdi dir="ltr">+49 30 1234567</bdi>
{% blocktranslate with name=user.username|isolated %}Hello, {{ name }}!{% endblocktranslate %}
"""

from django import template

from hub import bidi

register = template.Library()

register.filter("ltr", bidi.ltr)
register.filter("isolated", bidi.isolated)
