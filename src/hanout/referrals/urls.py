from django.urls import path

from hanout.referrals import views

urlpatterns = [
    path("sponsorship/", views.referral_home, name="referral_home"),
    path("sponsorship/invite/", views.referral_invite, name="referral_invite"),
]
