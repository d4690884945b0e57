//! 用户与角色: the admin's list of users with create, edit, reset password, deactivate.

use egui::{RichText, Ui};
use egui_extras::{Column, TableBuilder};

use crate::domain::role::{Role, RoleSet};
use crate::domain::user::{Gender, UserAccount};
use crate::service::{NewUser, ServiceError, UserEdit};
use crate::ui::panel::{Cx, Panel};
use crate::ui::theme::{self, ERROR_RED, MUTED, OK_GREEN};
use crate::ui::widgets::{field_error, text_field};
use crate::ui::worker::Reply;

/// The open form, if any.
enum Form {
    New(NewUser),
    Edit(UserEdit),
    Reset {
        user: UserAccount,
        password: String,
    },
    ConfirmActive {
        user: UserAccount,
        active: bool,
    },
    /// 性别 and 身份证号码, printed in the 授权委托书 of the bids this person signs as agent.
    Identity {
        user: UserAccount,
        gender: Option<Gender>,
        id_number: String,
    },
}

#[derive(Default)]
pub struct UsersPanel {
    users: Vec<UserAccount>,
    search: String,
    form: Option<Form>,
    error: Option<ServiceError>,
    load: Reply<Vec<UserAccount>>,
    requested: bool,
    save: Reply<UserAccount>,
}

impl Panel for UsersPanel {
    fn logic(&mut self, cx: &mut Cx<'_>) {
        match self.load.take() {
            Some(Ok(users)) => self.users = users,
            Some(Err(e)) => cx.toasts.error(e.to_string()),
            None => {}
        }
        match self.save.take() {
            Some(Ok(u)) => {
                cx.toasts.success(format!("用户 {}（{}）已保存。", u.display_name, u.login));
                self.form = None;
                self.error = None;
                self.requested = false;
            }
            Some(Err(e)) => {
                if !matches!(e, ServiceError::Invalid(_)) {
                    cx.toasts.error(e.to_string());
                }
                self.error = Some(e);
            }
            None => {}
        }
    }

    fn ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        if !std::mem::replace(&mut self.requested, true) {
            self.load = cx.ask(|svc, a| svc.list_users(a));
        }
        theme::heading(
            ui,
            "用户与角色",
            "新用户首次登录时须修改初始密码。离职人员请停用（其历史记录保留），不要删除。",
        );
        ui.horizontal(|ui| {
            let l = ui.label("搜索");
            ui.add(
                egui::TextEdit::singleline(&mut self.search).hint_text("姓名、登录名、电话或角色").desired_width(240.0),
            )
            .labelled_by(l.id);
            if ui.button("＋ 新建用户").clicked() {
                self.error = None;
                self.form = Some(Form::New(NewUser { roles: RoleSet::new([Role::Sales]), ..Default::default() }));
            }
        });
        ui.add_space(4.0);
        self.table_ui(ui, cx);
        self.form_ui(ui, cx);
    }
}

impl UsersPanel {
    fn matches(&self, u: &UserAccount) -> bool {
        let q = self.search.trim().to_lowercase();
        q.is_empty()
            || u.login.to_lowercase().contains(&q)
            || u.display_name.contains(&q)
            || u.phone.contains(&q)
            || u.roles.labels().contains(&q)
    }

    fn table_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        let rows: Vec<UserAccount> = self.users.iter().filter(|u| self.matches(u)).cloned().collect();
        let now = cx.now();
        let mut open = None;
        // On a small screen 电话 goes (it is in 编辑) and 角色 narrows, so every row's buttons stay in sight.
        let narrow = crate::ui::widgets::narrow_list(ui);
        let mut table = TableBuilder::new(ui)
            .id_salt(("users", narrow))
            .striped(true)
            .max_scroll_height(380.0)
            .column(Column::exact(110.0))
            .column(Column::exact(90.0));
        table = if narrow {
            table.column(Column::remainder().at_least(70.0).clip(true))
        } else {
            table.column(Column::exact(200.0)).column(Column::exact(130.0))
        };
        let titles: &[&str] = if narrow {
            &["登录名", "姓名", "角色", "状态", "操作"]
        } else {
            &["登录名", "姓名", "角色", "电话", "状态", "操作"]
        };
        table
            .column(Column::exact(80.0))
            .column(if narrow { Column::exact(270.0) } else { Column::remainder() })
            .header(24.0, |mut h| {
                for t in titles {
                    h.col(|ui| {
                        ui.strong(*t);
                    });
                }
            })
            .body(|body| {
                body.rows(26.0, rows.len(), |mut row| {
                    let u = &rows[row.index()];
                    row.col(|ui| {
                        ui.label(&u.login);
                    });
                    row.col(|ui| {
                        ui.label(&u.display_name);
                    });
                    row.col(|ui| {
                        ui.label(u.roles.labels()).on_hover_text(u.roles.labels());
                    });
                    if !narrow {
                        row.col(|ui| {
                            ui.label(&u.phone);
                        });
                    }
                    row.col(|ui| {
                        if !u.active {
                            theme::badge(ui, "已停用", MUTED);
                        } else if u.locked_until.is_some_and(|t| t > now) {
                            theme::badge(ui, "已锁定", ERROR_RED);
                        } else {
                            theme::badge(ui, "启用", OK_GREEN);
                        }
                    });
                    row.col(|ui| {
                        ui.horizontal(|ui| {
                            if ui.small_button("编辑").clicked() {
                                open = Some(Form::Edit(UserEdit {
                                    id: u.id,
                                    version: u.version,
                                    display_name: u.display_name.clone(),
                                    phone: u.phone.clone(),
                                    email: u.email.clone(),
                                    roles: u.roles.clone(),
                                }));
                            }
                            let who = if u.id_number.is_empty() { "身份信息" } else { "身份信息 ✓" };
                            if ui.small_button(who).on_hover_text("性别与身份证号码（投标授权委托书用）").clicked()
                            {
                                open = Some(Form::Identity {
                                    user: u.clone(),
                                    gender: u.gender,
                                    id_number: u.id_number.clone(),
                                });
                            }
                            if ui.small_button("重置密码").clicked() {
                                open = Some(Form::Reset { user: u.clone(), password: String::new() });
                            }
                            let (text, active) = if u.active { ("停用", false) } else { ("启用", true) };
                            if u.id != cx.actor.id() && ui.small_button(text).clicked() {
                                open = Some(Form::ConfirmActive { user: u.clone(), active });
                            }
                        });
                    });
                });
            });
        if let Some(f) = open {
            self.error = None;
            self.form = Some(f);
        }
    }

    fn form_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        let Some(form) = &mut self.form else { return };
        let err = &self.error;
        let fe = |f: &str| err.as_ref().and_then(|e| e.field_message(f));
        let mut close = false;
        let title = match form {
            Form::New(_) => "新建用户".to_string(),
            Form::Edit(e) => format!("编辑用户（{}）", e.display_name),
            Form::Reset { user, .. } => format!("重置 {} 的密码", user.display_name),
            Form::ConfirmActive { user, active } => {
                format!("{}用户 {}？", if *active { "启用" } else { "停用" }, user.display_name)
            }
            Form::Identity { user, .. } => format!("{} 的身份信息", user.display_name),
        };
        let modal = egui::Modal::new(egui::Id::unique("user_form")).show(ui.ctx(), |ui| {
            ui.set_width(460.0);
            ui.heading(title);
            ui.add_space(6.0);
            match form {
                Form::New(u) => {
                    egui::Grid::new("new_user").num_columns(2).spacing([12.0, 8.0]).show(ui, |ui| {
                        text_field(ui, "登录名", &mut u.login, fe("login"), false);
                        text_field(ui, "姓名", &mut u.display_name, fe("display_name"), false);
                        text_field(ui, "电话", &mut u.phone, fe("phone"), false);
                        text_field(ui, "电子邮箱", &mut u.email, fe("email"), false);
                        text_field(ui, "初始密码", &mut u.password, fe("password"), true);
                    });
                    roles_ui(ui, &mut u.roles, fe("roles"));
                }
                Form::Edit(e) => {
                    egui::Grid::new("edit_user").num_columns(2).spacing([12.0, 8.0]).show(ui, |ui| {
                        text_field(ui, "姓名", &mut e.display_name, fe("display_name"), false);
                        text_field(ui, "电话", &mut e.phone, fe("phone"), false);
                        text_field(ui, "电子邮箱", &mut e.email, fe("email"), false);
                    });
                    roles_ui(ui, &mut e.roles, fe("roles"));
                }
                Form::Reset { password, .. } => {
                    ui.label("设置一个临时密码并告知本人；对方下次登录时须改为自己的密码。重置同时解除登录锁定。");
                    egui::Grid::new("reset").num_columns(2).show(ui, |ui| {
                        text_field(ui, "临时密码", password, fe("password"), true);
                    });
                }
                Form::Identity { gender, id_number, .. } => {
                    ui.label("投标文件的授权委托书印出委托代理人的性别和身份证号码。身份证号码只对管理员、销售部负责人、公司领导和本人完整显示，其他人看到的是打码的。");
                    egui::Grid::new("identity").num_columns(2).spacing([12.0, 8.0]).show(ui, |ui| {
                        ui.label("性别");
                        ui.horizontal(|ui| {
                            ui.radio_value(gender, None, "未填");
                            for g in Gender::ALL {
                                ui.radio_value(gender, Some(g), g.label());
                            }
                        });
                        ui.end_row();
                        text_field(ui, "身份证号码", id_number, fe("id_number"), false);
                    });
                    field_error(ui, fe("gender"));
                    ui.label(RichText::new("留空身份证号码即清除；性别未填时按身份证号码第17位判断。").small().color(MUTED));
                }
                Form::ConfirmActive { active, .. } => {
                    ui.label(if *active {
                        "启用后，该用户可以再次登录。"
                    } else {
                        "停用后该用户不能再登录，正在使用的窗口也将无法操作；其客户、报价等历史记录保留。"
                    });
                }
            }
            if let Some(e) = err.as_ref().filter(|e| !matches!(e, ServiceError::Invalid(_))) {
                ui.label(RichText::new(e.to_string()).color(ERROR_RED));
            }
            ui.add_space(6.0);
            ui.horizontal(|ui| {
                let ok_text = match form {
                    Form::ConfirmActive { active: false, .. } => "确认停用",
                    Form::ConfirmActive { active: true, .. } => "确认启用",
                    _ => "保存",
                };
                if ui.add_enabled(!self.save.is_waiting(), egui::Button::new(ok_text)).clicked() {
                    self.save = save(cx, form);
                }
                if ui.button("取消").clicked() {
                    close = true;
                }
            });
        });
        if close || modal.should_close() {
            self.form = None;
            self.error = None;
        }
    }
}

fn roles_ui(ui: &mut Ui, roles: &mut RoleSet, error: Option<&str>) {
    ui.label("角色（可多选）");
    ui.horizontal_wrapped(|ui| {
        for role in Role::ALL {
            let mut on = roles.contains(role);
            if ui.checkbox(&mut on, role.label()).changed() {
                let others = roles.iter().filter(|r| *r != role);
                *roles = if on { RoleSet::new(others.chain([role])) } else { RoleSet::new(others) };
            }
        }
    });
    field_error(ui, error);
}

/// What the open form's button does.
fn save(cx: &Cx<'_>, form: &Form) -> Reply<UserAccount> {
    match form {
        Form::New(u) => {
            let u = u.clone();
            cx.ask(move |svc, a| svc.create_user(a, u))
        }
        Form::Edit(e) => {
            let e = e.clone();
            cx.ask(move |svc, a| svc.update_user(a, e))
        }
        Form::Reset { user, password } => {
            let (id, version, password) = (user.id, user.version, password.clone());
            cx.ask(move |svc, a| svc.reset_password(a, id, version, &password))
        }
        Form::ConfirmActive { user, active } => {
            let (id, version, active) = (user.id, user.version, *active);
            cx.ask(move |svc, a| svc.set_user_active(a, id, version, active))
        }
        Form::Identity { user, gender, id_number } => {
            let (id, version, gender, number) = (user.id, user.version, *gender, id_number.clone());
            cx.ask(move |svc, a| svc.set_user_identity(a, id, version, gender, &number))
        }
    }
}
