// fcto-corpus-path: app/domain/Billing.java
package app.domain;

import com.stripe.model.Charge;
