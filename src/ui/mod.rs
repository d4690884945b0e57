//! The window (eframe). It holds view state only. A panel asks the service worker to run a use
//! case ([`panel::Cx::ask`]) and keeps the [`worker::Reply`]; the answer comes back to it. No
//! SQL and no permission decisions here: controls are hidden by role for tidiness, the service
//! decides. One folder per area (`admin`, `customers`, `prices`, `phone_desk`, `inquiries`,
//! `quotes`, `documents`, `visits`, `contracts`, `start`); `panel`, `worker`, `theme` and
//! `widgets` are what they all share.

mod admin;
mod contracts;
pub mod credentials;
mod customers;
mod documents;
pub mod fonts;
mod inquiries;
mod nav;
mod notices;
pub mod panel;
mod phone_desk;
mod pickers;
mod prices;
mod quotes;
mod start;
pub mod theme;
mod transfer;
mod visits;
pub mod widgets;
mod work;
pub mod worker;

use std::path::PathBuf;

use egui::{RichText, Ui};
use serde::{Deserialize, Serialize};

use crate::service::{Actor, Location};
pub use documents::PagePainter;
pub use nav::Nav;
use panel::{Cx, Event, Panel};
pub use start::connect;
pub use start::{DISCONNECTED_BANNER, RECONNECTED};
use worker::Worker;

/// Opens the window on `db`; without one, on the office the connection dialog remembered, or the
/// default file (created with the first-start choices if new).
pub fn run(db: Option<Location>) -> eframe::Result {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("SalesDesk 销售部工作台")
            // The desktop entry's StartupWMClass and the Wayland app id: the menu's icon is the
            // window's.
            .with_app_id("salesdesk")
            .with_icon(window_icon())
            .with_inner_size([1200.0, 760.0])
            // 1366×768 at 150 % is 911×512 points: the window must fit it.
            .with_min_inner_size([800.0, 480.0]),
        ..Default::default()
    };
    eframe::run_native(
        "SalesDesk",
        options,
        Box::new(move |cc| {
            let mut view: ViewState =
                cc.storage.and_then(|s| eframe::get_value(s, eframe::APP_KEY)).unwrap_or_default();
            let vault: std::sync::Arc<dyn credentials::Vault> = std::sync::Arc::new(credentials::SystemVault);
            let db = db
                .or_else(|| credentials::remembered_location(&mut view.remembered_office, &*vault))
                .or_else(|| crate::default_database_path().map(Location::File))
                .unwrap_or_else(|| Location::File(PathBuf::from("salesdesk.db")));
            let worker = Worker::spawn(cc.egui_ctx.clone());
            Ok(Box::new(SalesDeskApp::new(&cc.egui_ctx, worker, db, view).with_vault(vault)))
        }),
    )
}

/// The icon shipped in the binary, decoded for the window.
fn window_icon() -> egui::IconData {
    match image::load_from_memory_with_format(crate::assets::ICON_PNG, image::ImageFormat::Png) {
        Ok(img) => {
            let rgba = img.into_rgba8();
            let (width, height) = rgba.dimensions();
            egui::IconData { rgba: rgba.into_raw(), width, height }
        }
        // The bytes are ours and tested; a broken file only costs the icon.
        Err(_) => egui::IconData::default(),
    }
}

/// View state that survives a restart (never business data).
#[derive(Serialize, Deserialize, Default, Clone)]
#[serde(default)]
pub struct ViewState {
    pub last_login: String,
    pub nav: Nav,
    /// The office chosen in the connection dialog (a file path or a server address), used when
    /// the window starts without `--db`.
    pub remembered_office: Option<String>,
    /// Each SalesDesk user's UI scale on this PC (login → zoom), on top of the system's scale.
    pub zoom: std::collections::BTreeMap<String, f32>,
    /// The navigation's width, as the user left it.
    pub nav_width: Option<f32>,
}

/// The screen before the main window.
#[derive(Debug, Clone, PartialEq)]
pub enum Screen {
    Opening,
    /// The file cannot be used: the message, and the offer to open another or restore.
    FileProblem(String),
    FirstStart,
    SignIn,
    MustChangePassword,
    Main,
}

pub struct SalesDeskApp {
    worker: Worker,
    db: Location,
    location: String,
    pub screen: Screen,
    actor: Option<Actor>,
    /// What the start-up flow (open, check, sign in) is waiting for.
    session: start::SessionReplies,
    pub toasts: widgets::Toasts,
    read_only: Option<String>,
    view: ViewState,
    start: start::StartState,
    panels: Panels,
    /// The connection dialog (连接数据库), when open.
    connect: Option<connect::ConnectDialog>,
    /// Where 记住密码 keeps server passwords (the system's credential store).
    vault: std::sync::Arc<dyn credentials::Vault>,
    /// The status bar's 更换… asks before signing out.
    confirm_change: bool,
    /// Logins the owner's start made with one-time passwords: shown until acknowledged.
    new_logins: Vec<crate::service::NewServerLogin>,
    /// The change watch, and whether the server connection is down.
    watch: start::Watch,
    /// "Now" for the panels: the service's own clock.
    clock: crate::service::Clock,
    /// Told to every panel at the end of the frame.
    events: Vec<Event>,
    /// A panel asked to show another.
    go: Option<Nav>,
    /// The signed-in user's scale is set at the next frame (the context is not at hand at sign-in);
    /// `zoom_back` returns to 100 % after signing out.
    zoom_pending: Option<f32>,
    zoom_back: bool,
}

/// Every panel of the main window, by area.
#[derive(Default)]
struct Panels {
    company: admin::CompanyPanel,
    policy: admin::PolicyPanel,
    users: admin::UsersPanel,
    audit: admin::AuditPanel,
    maintenance: admin::MaintenancePanel,
    customers: customers::CustomersPanel,
    prices: prices::PricesPanel,
    phone: phone_desk::PhoneDesk,
    inquiries: inquiries::InquiriesPanel,
    inbox: inquiries::InboxPanel,
    notices: notices::Notices,
    quotes: quotes::QuotesPanel,
    approvals: quotes::ApprovalsPanel,
    tech: quotes::TechPanel,
    visits: visits::VisitsPanel,
    register: documents::RegisterPanel,
    certificates: documents::CertificatesPanel,
    contracts: contracts::ContractsPanel,
    dashboard: contracts::DashboardPanel,
    work: work::WorkPanel,
}

impl Panels {
    /// Every panel (each takes in its answers every frame, shown or not).
    fn all(&mut self) -> Vec<&mut dyn Panel> {
        vec![
            &mut self.company,
            &mut self.policy,
            &mut self.users,
            &mut self.audit,
            &mut self.maintenance,
            &mut self.customers,
            &mut self.prices,
            &mut self.phone,
            &mut self.inquiries,
            &mut self.inbox,
            &mut self.quotes,
            &mut self.approvals,
            &mut self.tech,
            &mut self.register,
            &mut self.certificates,
            &mut self.visits,
            &mut self.contracts,
            &mut self.dashboard,
            &mut self.work,
        ]
    }

    /// Draws the panel of `nav`.
    fn ui(&mut self, ui: &mut Ui, nav: Nav, start: &mut start::StartState, actor: &Actor, cx: &mut Cx<'_>) {
        // The lists scroll inside their own tables (with a side card); forms scroll as a page.
        match nav {
            Nav::Customers => return self.customers.ui(ui, cx),
            Nav::Prices => return self.prices.ui(ui, cx),
            Nav::Inquiries => return self.inquiries.ui(ui, cx),
            Nav::Inbox => return self.inbox.ui(ui, cx),
            Nav::Quotes => return self.quotes.ui(ui, cx),
            Nav::Approvals => return self.approvals.ui(ui, cx),
            Nav::TechReviews => return self.tech.ui(ui, cx),
            Nav::Visits => return self.visits.ui(ui, cx),
            Nav::Register => return self.register.ui(ui, cx),
            Nav::Contracts => return self.contracts.ui(ui, cx),
            Nav::Dashboard => return self.dashboard.ui(ui, cx),
            Nav::Work => return self.work.ui(ui, cx),
            _ => {}
        }
        egui::ScrollArea::vertical().auto_shrink(false).show(ui, |ui| match nav {
            Nav::Customers
            | Nav::Prices
            | Nav::Inquiries
            | Nav::Inbox
            | Nav::Quotes
            | Nav::Approvals
            | Nav::TechReviews
            | Nav::Register
            | Nav::Contracts
            | Nav::Dashboard
            | Nav::Work
            | Nav::Visits => {}
            Nav::PhoneDesk => self.phone.ui(ui, cx),
            Nav::Company => self.company.ui(ui, cx),
            Nav::Policy => self.policy.ui(ui, cx),
            Nav::Certificates => self.certificates.ui(ui, cx),
            Nav::Users => self.users.ui(ui, cx),
            Nav::Audit => self.audit.ui(ui, cx),
            Nav::Maintenance => self.maintenance.ui(ui, cx),
            Nav::Account => start.account_ui(ui, actor, cx),
        });
    }
}

impl SalesDeskApp {
    /// Installs the fonts and starts opening `db` on the worker.
    pub fn new(ctx: &egui::Context, worker: Worker, db: Location, view: ViewState) -> Self {
        fonts::install(ctx);
        egui_extras::install_image_loaders(ctx);
        // An office application: light, like the documents it produces.
        ctx.set_theme(egui::Theme::Light);
        ctx.global_style_mut(|s| {
            s.spacing.item_spacing = egui::vec2(8.0, 6.0);
            s.spacing.button_padding = egui::vec2(10.0, 4.0);
            // No text smaller than 12 px at 100 % (egui's small text is 9 px: owners, models and
            // 重大 reasons were hard to read).
            s.text_styles.insert(egui::TextStyle::Small, egui::FontId::proportional(12.0));
        });
        let clock = worker.clock();
        let mut app = SalesDeskApp {
            worker,
            location: db.shown(),
            db: db.clone(),
            screen: Screen::Opening,
            actor: None,
            session: Default::default(),
            toasts: Default::default(),
            read_only: None,
            start: start::StartState::new(&view.last_login),
            view,
            panels: Panels::default(),
            connect: None,
            vault: std::sync::Arc::new(credentials::SystemVault),
            confirm_change: false,
            new_logins: Vec::new(),
            watch: Default::default(),
            clock,
            events: Vec::new(),
            go: None,
            zoom_pending: None,
            zoom_back: false,
        };
        app.open_office(db);
        app
    }

    /// Keeps saved server passwords in `vault` instead of the system's credential store (tests).
    pub fn with_vault(mut self, vault: std::sync::Arc<dyn credentials::Vault>) -> Self {
        self.vault = vault;
        self
    }

    pub fn actor(&self) -> Option<&Actor> {
        self.actor.as_ref()
    }

    pub fn view_state(&self) -> &ViewState {
        &self.view
    }

    /// Takes in what the worker finished and runs the refreshes that are due; draws nothing
    /// (eframe's `App::logic`, before every `ui`).
    pub fn logic(&mut self, ctx: &egui::Context) {
        if self.worker.take_connection_lost() {
            self.watch.disconnected = true;
        }
        self.session_logic();
        self.watch_if_due(ctx);
        let time = ctx.input(|i| i.time);
        self.with_panels(time, |panels, cx| {
            panels.notices.logic(cx);
            for p in panels.all() {
                p.logic(cx);
            }
        });
        self.deliver_events(time);
    }

    /// Runs `f` on the panels with a [`Cx`] for the signed-in user (nothing when signed out),
    /// then shows the panel they asked for.
    fn with_panels<R>(&mut self, time: f64, f: impl FnOnce(&mut Panels, &mut Cx<'_>) -> R) -> Option<R> {
        let actor = self.actor.clone().filter(|_| self.screen == Screen::Main)?;
        let certificates = self.panels.certificates.library();
        let out = {
            let mut cx = Cx::new(
                &actor,
                &self.clock,
                time,
                certificates,
                &mut self.toasts,
                &self.worker,
                &mut self.events,
                &mut self.go,
            );
            f(&mut self.panels, &mut cx)
        };
        if let Some(nav) = self.go.take() {
            self.view.nav = nav;
        }
        Some(out)
    }

    /// Hands this frame's events to every panel (their handling may raise a few more).
    fn deliver_events(&mut self, time: f64) {
        for _ in 0..4 {
            if self.events.is_empty() {
                return;
            }
            let events = std::mem::take(&mut self.events);
            self.with_panels(time, |panels, cx| {
                for e in &events {
                    panels.notices.on_event(e);
                    for p in panels.all() {
                        p.on_event(e, cx);
                    }
                }
            });
            if events.contains(&Event::OfficeReplaced) {
                self.reset_office_panels();
            }
        }
    }

    /// Draws one frame (eframe's `App::ui`, after `logic`).
    pub fn ui(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        widgets::note_escape(&ctx);
        if let Some(z) = self.zoom_pending.take() {
            ctx.set_zoom_factor(z);
        }
        if std::mem::take(&mut self.zoom_back) {
            ctx.set_zoom_factor(1.0);
        }
        self.status_bar_ui(ui);
        self.banner_ui(ui);
        match self.screen.clone() {
            Screen::Main => self.main_ui(ui),
            screen => {
                let mut actions = Vec::new();
                let on_server = matches!(self.db, Location::Server(_));
                egui::CentralPanel::default().show(ui, |ui| {
                    if !self.connect_ui(ui) {
                        let busy = self.session_busy();
                        self.start.ui(ui, &screen, self.actor.as_ref(), busy, on_server, &mut actions);
                    }
                });
                for a in actions {
                    self.start_action(a);
                }
            }
        }
        self.deliver_events(ctx.input(|i| i.time));
        self.confirm_change_ui(&ctx);
        self.new_logins_ui(&ctx);
        if let Some(link) = self.toasts.show(&ctx) {
            self.events.push(Event::Open(link));
        }
    }

    /// One whole frame, as eframe runs it: `logic`, then `ui` (tests drive this).
    pub fn frame(&mut self, ui: &mut Ui) {
        self.logic(&ui.ctx().clone());
        self.ui(ui);
    }

    pub(in crate::ui) fn sign_out(&mut self) {
        if let Some(actor) = self.actor.take() {
            // On the server their own connections end (every lane follows the front one).
            drop(self.worker.ask(worker::Lane::Front, move |s| {
                s.service()?.sign_out(&actor);
                Ok(())
            }));
        }
        self.screen = Screen::SignIn;
        self.zoom_back = true;
        self.start.ask_focus();
        self.reset_office_panels();
        self.panels.maintenance = Default::default();
    }

    /// Forgets what the panels showed (another user, or a restored database; the maintenance
    /// panel that restored keeps its message).
    fn reset_office_panels(&mut self) {
        let maintenance = std::mem::take(&mut self.panels.maintenance);
        self.panels = Panels { maintenance, ..Panels::default() };
        self.events.clear();
    }

    fn status_bar_ui(&mut self, ui: &mut Ui) {
        let mut change = false;
        egui::Panel::bottom("status_bar").show(ui, |ui| {
            ui.horizontal(|ui| {
                if self.worker.is_busy() {
                    ui.add(egui::Spinner::new());
                    ui.label("正在处理…");
                    ui.separator();
                }
                match &self.actor {
                    Some(a) => ui.label(format!("{}（{}）", a.display_name(), a.roles().labels())),
                    None => ui.label("未登录"),
                };
                ui.separator();
                ui.label(RichText::new(format!("数据库：{}", self.location)).color(theme::MUTED));
                let may_change = self.screen != Screen::Opening && self.connect.is_none();
                if may_change
                    && ui.small_button("更换…").on_hover_text("打开其他数据库文件，或连接办公室服务器").clicked()
                {
                    change = true;
                }
                if let Some(reason) = &self.read_only {
                    ui.separator();
                    theme::badge(ui, "只读", theme::ERROR_RED);
                    ui.label(RichText::new(reason).color(theme::ERROR_RED).small());
                }
            });
        });
        if change {
            match self.actor {
                Some(_) => self.confirm_change = true,
                None => self.open_connect_dialog(),
            }
        }
    }

    fn main_ui(&mut self, ui: &mut Ui) {
        let Some(actor) = self.actor.clone() else {
            self.screen = Screen::SignIn;
            return;
        };
        let mut sign_out = false;
        let nav_panel = egui::Panel::left("nav")
            .resizable(true)
            .default_size(self.view.nav_width.unwrap_or(210.0))
            .min_size(120.0)
            .max_size(320.0)
            .show(ui, |ui| {
                ui.add_space(8.0);
                ui.label(RichText::new("SalesDesk").heading().strong());
                ui.label(RichText::new("销售部工作台").color(theme::MUTED));
                ui.separator();
                // 退出登录 keeps its place at the bottom; the entries scroll above it when the
                // window is short (an admin's list at 150 % on a 768-pixel screen).
                ui.with_layout(egui::Layout::bottom_up(egui::Align::Min), |ui| {
                    ui.add_space(8.0);
                    if ui.button("退出登录").clicked() {
                        sign_out = true;
                    }
                    ui.separator();
                    ui.with_layout(egui::Layout::top_down(egui::Align::Min), |ui| {
                        // A solid bar, so entries below the fold are seen to be there.
                        ui.spacing_mut().scroll = egui::style::ScrollStyle::solid();
                        egui::ScrollArea::vertical().id_salt("nav_entries").auto_shrink(false).show(ui, |ui| {
                            for nav in [
                                Nav::Work,
                                Nav::PhoneDesk,
                                Nav::Inbox,
                                Nav::Approvals,
                                Nav::TechReviews,
                                Nav::Inquiries,
                                Nav::Quotes,
                                Nav::Register,
                                Nav::Certificates,
                                Nav::Contracts,
                                Nav::Dashboard,
                                Nav::Visits,
                                Nav::Customers,
                                Nav::Prices,
                                Nav::Company,
                                Nav::Policy,
                                Nav::Users,
                                Nav::Audit,
                                Nav::Maintenance,
                                Nav::Account,
                            ] {
                                if !nav.visible_to(&actor) {
                                    continue;
                                }
                                let waiting = match nav {
                                    Nav::Inbox => self.panels.inbox.count(),
                                    Nav::Approvals => self.panels.approvals.count(),
                                    Nav::TechReviews => self.panels.tech.count(),
                                    Nav::Contracts => self.panels.contracts.count(),
                                    Nav::Work => self.panels.work.count(),
                                    _ => 0,
                                };
                                let label = match waiting {
                                    0 => nav.label().to_string(),
                                    n => format!("{} ({n})", nav.label()),
                                };
                                if ui.selectable_label(self.view.nav == nav, label).clicked() {
                                    self.view.nav = nav;
                                }
                            }
                        });
                    });
                });
            });
        // The width the user dragged it to is kept (a narrow navigation leaves room for the lists).
        self.view.nav_width = Some(nav_panel.response.rect.width());
        let time = ui.ctx().input(|i| i.time);
        let nav = self.view.nav;
        // 我的账号 is drawn by the start screens' state (its password form).
        let mut start = std::mem::take(&mut self.start);
        self.with_panels(time, |panels, cx| {
            egui::CentralPanel::default().show(ui, |ui| panels.ui(ui, nav, &mut start, &actor, cx));
        });
        self.start = start;
        if let Some(z) = self.start.zoom_request.take() {
            ui.ctx().set_zoom_factor(z);
            self.view.zoom.insert(actor.login().to_string(), z);
        }
        if sign_out {
            self.sign_out();
        }
    }
}

impl eframe::App for SalesDeskApp {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        SalesDeskApp::logic(self, ctx);
    }

    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        SalesDeskApp::ui(self, ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, eframe::APP_KEY, &self.view);
    }
}
