from django.urls import path

from counseling import label_views, routing_views, staff_chat_views, staff_views, voice_views

app_name = "counseling_staff"

urlpatterns = [
    path("", staff_views.inbox, name="inbox"),
    path("row/<uuid:public_id>/", staff_views.inbox_row, name="inbox_row"),
    path("approvals/count/", staff_views.inbox_approvals, name="inbox_approvals"),
    path("approvals/", staff_views.approvals, name="approvals"),
    path("approvals/<int:message_id>/approve/", staff_views.approval_approve, name="approve"),
    path("approvals/<int:message_id>/return/", staff_views.approval_return, name="return"),
    path("absence/", staff_views.absence, name="absence"),
    path("callbacks/", staff_views.callbacks, name="callbacks"),
    path("callbacks/<uuid:public_id>/take/", staff_views.callback_take_view, name="callback_take"),
    path("callbacks/<uuid:public_id>/outcome/", staff_views.callback_record_view, name="callback_record"),
    path("canned/", staff_views.canned_list, name="canned"),
    path("canned/new/", staff_views.canned_edit, name="canned_new"),
    path("canned/<int:pk>/", staff_views.canned_edit, name="canned_edit"),
    path("labels/", label_views.label_list, name="label_list"),
    path("labels/<int:pk>/", label_views.label_edit, name="label_edit"),
    path("labels/<int:pk>/delete/", label_views.label_delete, name="label_delete"),
    path("chats/", staff_chat_views.desk, name="chat_desk"),
    path("chats/presence/", staff_chat_views.desk_presence, name="chat_presence"),
    path("chats/<uuid:public_id>/", staff_chat_views.chat_room, name="chat"),
    path("chats/<uuid:public_id>/accept/", staff_chat_views.chat_accept_view, name="chat_accept"),
    path("chats/<uuid:public_id>/end/", staff_chat_views.chat_end_view, name="chat_end"),
    path("chats/<uuid:public_id>/convert/", staff_chat_views.chat_convert_view, name="chat_convert"),
    path(
        "chats/<uuid:public_id>/appointment/",
        staff_chat_views.chat_offer_appointment,
        name="chat_appointment",
    ),
    path("rounds/", staff_chat_views.round_list, name="rounds"),
    path("rounds/<uuid:public_id>/", staff_chat_views.round_room, name="round"),
    path("rounds/<uuid:public_id>/action/", staff_chat_views.round_action, name="round_action"),
    path("<uuid:public_id>/video/", staff_chat_views.video_staff, name="video"),
    path("voice/<uuid:public_id>/summary/", voice_views.voice_summary_edit, name="voice_summary"),
    path("<uuid:public_id>/", staff_views.case_detail, name="case"),
    path("<uuid:public_id>/reply/", staff_views.case_reply, name="reply"),
    path("<uuid:public_id>/note/", staff_views.case_note, name="note"),
    path("<uuid:public_id>/status/", staff_views.case_status, name="status"),
    path("<uuid:public_id>/labels/", staff_views.case_labels, name="labels"),
    path("<uuid:public_id>/take/", staff_views.case_take, name="take"),
    path("<uuid:public_id>/handover/", staff_views.case_handover, name="handover"),
    path("<uuid:public_id>/assign/", routing_views.case_assign_view, name="assign"),
    path("fallback/", routing_views.fallback, name="fallback"),
]
