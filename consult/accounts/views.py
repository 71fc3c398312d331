"""Account pages: register, verify, sign in and out, reset and change password or email, profile."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from consult.accounts import account_emails, services, sessions
from consult.accounts.devices import remember_device
from consult.accounts.forms import (
    ChangeEmailForm,
    ChangePasswordForm,
    ConfirmForm,
    ProfileForm,
    RegisterForm,
    RequestResetForm,
    ResetPasswordForm,
    SignInForm,
)
from consult.accounts.throttle import SignInThrottled
from consult.db import get_session
from consult.errors import ValidationError, keeps_input_on_csrf_failure, render_error
from consult.extensions import limit_from_config, limiter
from consult.flow import saving
from consult.security import TokenError, safe_next

bp = Blueprint("accounts", __name__, url_prefix="/account", template_folder="templates")

ONLY_POST = {"methods": ["POST"]}


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(limit_from_config("REGISTER_RATE_LIMIT"), **ONLY_POST)
@keeps_input_on_csrf_failure
def register():
    form = RegisterForm()
    if form.validate_on_submit():
        db = get_session()
        with saving(db, form) as saved:
            result = services.register(db, **form.service_data())
            can_mail = services.may_send_mail(db, result.user.email, "register")
        if saved:
            if can_mail:
                account_emails.send_registration_mail(result)
            return redirect(url_for("accounts.check_email"))
    return render_template("accounts/register.html", form=form)


@bp.get("/check-your-email")
def check_email():
    return render_template("accounts/check_email.html")


@bp.route("/verify/<token>", methods=["GET", "POST"])
def verify(token: str):
    form = ConfirmForm()
    if form.validate_on_submit():
        db = get_session()
        try:
            user = services.verify_email(db, token)
        except TokenError as error:
            return render_template("accounts/bad_link.html", expired=error.expired, purpose="verify"), 400
        db.commit()
        flash("Your email address is confirmed. You can now take part.")
        if current_user.is_authenticated and current_user.id == user.id:
            return redirect(url_for("accounts.profile"))
        return redirect(url_for("accounts.sign_in"))
    return render_template("accounts/confirm_link.html", form=form, heading="Confirm your email address")


@bp.post("/resend-verification")
@login_required
@limiter.limit(limit_from_config("EMAIL_RATE_LIMIT"))
def resend_verification():
    form = ConfirmForm()
    if form.validate_on_submit() and not current_user.is_verified:
        db = get_session()
        if services.may_send_mail(db, current_user.email, "verify"):
            db.commit()
            account_emails.send_verification(current_user)
        flash("We have sent a new confirmation link unless you have had 3 in the last hour.")
    return redirect(url_for("accounts.profile"))


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(limit_from_config("SIGN_IN_RATE_LIMIT"), **ONLY_POST)
@keeps_input_on_csrf_failure
def sign_in():
    form = SignInForm()
    if form.validate_on_submit():
        db = get_session()
        device_cookie = request.cookies.get(current_app.config["DEVICE_COOKIE_NAME"])
        # Not saving(): a refused sign-in is committed on purpose (the failed attempt counts), a throttled one is a 429.
        try:
            user = services.authenticate(
                db,
                email=form.email.data,
                password=form.password.data,
                address=request.remote_addr,
                device_cookie=device_cookie,
            )
        except SignInThrottled as throttled:
            form.attach(ValidationError(None, throttled.message))
            page = render_template("accounts/sign_in.html", form=form)
            return page, 429, {"Retry-After": str(throttled.seconds)}
        except ValidationError as error:
            db.commit()  # keep the failed attempt so the next one from here waits
            form.attach(error)
        else:
            sessions.start(db, user)
            db.commit()
            login_user(user, remember=form.remember.data)
            response = redirect(safe_next(request.args.get("next"), url_for("dashboard.start")))
            remember_device(response, user, device_cookie)
            return response
    return render_template("accounts/sign_in.html", form=form)


@bp.post("/sign-out")
def sign_out():
    form = ConfirmForm()
    if form.validate_on_submit():
        if current_user.is_authenticated:
            db = get_session()
            sessions.end(db, current_user)
            db.commit()
        logout_user()
        flash("You have signed out.")
    return redirect(url_for("pages.home"))


@bp.post("/sign-out-everywhere")
@login_required
def sign_out_everywhere():
    form = ConfirmForm()
    if form.validate_on_submit():
        db = get_session()
        services.sign_out_everywhere(db, current_user)
        db.commit()
        logout_user()
        flash("You have signed out on every device.")
    return redirect(url_for("pages.home"))


@bp.route("/reset-password", methods=["GET", "POST"])
@limiter.limit(limit_from_config("EMAIL_RATE_LIMIT"), **ONLY_POST)
@keeps_input_on_csrf_failure
def request_reset():
    form = RequestResetForm()
    if form.validate_on_submit():
        db = get_session()
        user = services.queries.get_user_by_email(db, form.email.data)
        if user is not None and not user.disabled and services.may_send_mail(db, user.email, "reset"):
            db.commit()
            account_emails.send_reset(user)
        # The same answer whether or not the address has an account (no enumeration).
        return redirect(url_for("accounts.check_email", reason="reset"))
    return render_template("accounts/request_reset.html", form=form)


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@keeps_input_on_csrf_failure
def reset_password(token: str):
    db = get_session()
    try:
        services.user_for_reset_token(db, token)
    except TokenError as error:
        return render_template("accounts/bad_link.html", expired=error.expired, purpose="reset"), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        with saving(db, form) as saved:
            user = services.reset_password(db, token, form.password.data)
        if saved:
            logout_user()
            flash("Your password has been changed. Sign in with your new password.")
            response = redirect(url_for("accounts.sign_in"))
            # The link proved this browser's owner reads the account's mail: spare it the per-account wait.
            remember_device(response, user, None)
            return response
    return render_template("accounts/reset_password.html", form=form)


@bp.get("/")
@login_required
def profile():
    return render_template("accounts/profile.html", resend_form=ConfirmForm(), sign_out_form=ConfirmForm())


@bp.route("/edit", methods=["GET", "POST"])
@login_required
@keeps_input_on_csrf_failure
def edit_profile():
    # Plain values, not obj=current_user: user.organisation is an Organisation, which would fill the box with its repr.
    form = ProfileForm(
        display_name=current_user.display_name,
        sector=current_user.sector.value,
        organisation=current_user.claimed_organisation_name,
    )
    if form.validate_on_submit():
        db = get_session()
        with saving(db, form) as saved:
            services.update_profile(db, current_user, **form.service_data())
        if saved:
            flash("Your profile has been updated.")
            return redirect(url_for("accounts.profile"))
    return render_template("accounts/edit_profile.html", form=form)


@bp.route("/password", methods=["GET", "POST"])
@login_required
@keeps_input_on_csrf_failure
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        db = get_session()
        with saving(db, form) as saved:
            services.change_password(db, current_user, **form.service_data())
        if saved:
            # This device continues under the new generation; every other session has ended.
            user = current_user._get_current_object()
            login_user(user)
            flash("Your password has been changed. You have been signed out on your other devices.")
            response = redirect(url_for("accounts.profile"))
            remember_device(response, user, None)
            return response
    return render_template("accounts/change_password.html", form=form)


@bp.route("/email", methods=["GET", "POST"])
@login_required
@limiter.limit(limit_from_config("EMAIL_RATE_LIMIT"), **ONLY_POST)
@keeps_input_on_csrf_failure
def change_email():
    form = ChangeEmailForm()
    if form.validate_on_submit():
        db = get_session()
        with saving(db, form) as saved:
            available = services.request_email_change(
                db, current_user, password=form.password.data, new_email=form.email.data
            )
            can_mail = services.may_send_mail(db, current_user.pending_email, "change-email")
        if saved:
            if can_mail:
                account_emails.send_email_change(current_user, available)
            flash(
                f"We have sent a confirmation link to {current_user.pending_email}. "
                "Your email address changes when you follow it."
            )
            return redirect(url_for("accounts.profile"))
    return render_template("accounts/change_email.html", form=form)


@bp.route("/email/confirm/<token>", methods=["GET", "POST"])
def confirm_email_change(token: str):
    form = ConfirmForm()
    if form.validate_on_submit():
        db = get_session()
        try:
            with saving(db, form) as saved:
                services.confirm_email_change(db, token)
        except TokenError as error:
            return render_template("accounts/bad_link.html", expired=error.expired, purpose="change-email"), 400
        if not saved:
            return render_error(400, saved.reason)  # the link's page has no field to show it next to
        flash("Your email address has been changed.")
        return redirect(url_for("accounts.profile") if current_user.is_authenticated else url_for("accounts.sign_in"))
    return render_template("accounts/confirm_link.html", form=form, heading="Confirm your new email address")


def init_app(app) -> None:
    """Tell Flask-Login how to load users, checking the session generation on every request."""
    from consult.accounts.user_loader import load_user
    from consult.extensions import login_manager

    login_manager.user_loader(load_user)
    login_manager.login_view = "accounts.sign_in"
    login_manager.login_message = "Sign in to continue."
    login_manager.session_protection = "basic"
    app.register_blueprint(bp)
