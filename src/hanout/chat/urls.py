from django.urls import path

from hanout.chat import views

urlpatterns = [
    path("chat/", views.chat_page, name="chat"),
    path("chat/unread/", views.chat_unread, name="chat_unread"),
]
