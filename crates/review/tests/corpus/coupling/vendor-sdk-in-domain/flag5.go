// fcto-corpus-path: app/domain/pay.go
package domain

import (
	"context"

	stripe "github.com/stripe/stripe-go/v76"
)
