<?php
/**
 * tests/lab/oauth-consumers.php — the lab's Extension:OAuth consumers, created and approved without a browser.
 * Run on the OAuth central wiki (A) by tests/lab/up.sh:
 *
 *   MW_INSTALL_PATH=<mediawiki> MW_CONFIG_FILE=build/lab/a/LocalSettings.php php tests/lab/oauth-consumers.php \
 *     --owner Admin --confirm-email Admin --confirm-email Tester \
 *     --oauth1-callback <url> --oauth2-redirect <url> --out build/lab/state/consumers.json
 *
 * First the OAuth tables, if missing: what update.php does, but only its extension step (OAuth's UpdaterHooks
 * add them on the central wiki only), without update.php's many seconds of core checks.
 *
 * REL1_39's maintenance/createOAuthConsumer.php makes only OAuth 1.0a consumers that are not owner-only, and there
 * is no approve script, so this drives the extension's own ConsumerSubmitControl (the code behind
 * Special:OAuthConsumerRegistration and Special:OAuthManageConsumers): propose, then approve.
 * Proposing needs a confirmed e-mail equal to the consumer's; approving needs mwoauthmanageconsumer (sysop).
 * Re-running is a no-op: consumers are looked up by name, version and owner. Secrets are recomputed
 * (Utils::hmacDBSecret, as the registration page shows them); the owner-only OAuth 2 token (a JWT) is known only
 * at creation, so it is carried over from the previous --out, or a new one is issued.
 */

use MediaWiki\Extension\OAuth\Backend\Consumer;
use MediaWiki\Extension\OAuth\Backend\ConsumerAcceptance;
use MediaWiki\Extension\OAuth\Backend\Utils;
use MediaWiki\Extension\OAuth\Control\ConsumerSubmitControl;
use MediaWiki\Extension\OAuth\Entity\ClientEntity;

require_once getenv( 'MW_INSTALL_PATH' ) . '/maintenance/Maintenance.php';

class FwLabOAuthConsumers extends Maintenance {
	private const GRANTS = [ 'basic', 'highvolume', 'editpage', 'createeditmovepage', 'editmyoptions' ];

	public function __construct() {
		parent::__construct();
		$this->addDescription( 'Create, approve and export the fwlab OAuth consumers' );
		$this->addOption( 'owner', 'Proposer and approver of the consumers', true, true );
		$this->addOption( 'confirm-email', 'User whose e-mail is set and confirmed', false, true, false, true );
		$this->addOption( 'oauth1-callback', 'OAuth 1.0a callback (a prefix)', true, true );
		$this->addOption( 'oauth2-redirect', 'OAuth 2 redirect URI', true, true );
		$this->addOption( 'out', 'Credentials JSON to write (mode 600)', true, true );
		$this->requireExtension( 'OAuth' );
	}

	private function specs(): array {
		$cb1 = $this->getOption( 'oauth1-callback' );
		$cb2 = $this->getOption( 'oauth2-redirect' );
		return [
			'oauth1' => [ 'v' => 1, 'name' => 'fwlab OAuth1', 'callbackUrl' => $cb1, 'callbackIsPrefix' => true ],
			'oauth2_confidential' => [ 'v' => 2, 'name' => 'fwlab OAuth2 confidential', 'callbackUrl' => $cb2,
				'confidential' => true, 'grantTypes' => [ 'authorization_code', 'refresh_token' ] ],
			'oauth2_public' => [ 'v' => 2, 'name' => 'fwlab OAuth2 public', 'callbackUrl' => $cb2,
				'confidential' => false, 'grantTypes' => [ 'authorization_code', 'refresh_token' ] ],
			'oauth1_owner' => [ 'v' => 1, 'name' => 'fwlab OAuth1 owner-only', 'ownerOnly' => true ],
			'oauth2_owner' => [ 'v' => 2, 'name' => 'fwlab OAuth2 owner-only', 'ownerOnly' => true,
				'grantTypes' => [ 'client_credentials' ] ],
		];
	}

	public function execute() {
		if ( !Utils::isCentralWiki() ) {
			$this->fatalError( 'Run this on the OAuth central wiki (' . Utils::getCentralWiki() . ')' );
		}
		$dbw = $this->getDB( DB_PRIMARY );
		if ( !$dbw->tableExists( 'oauth_registered_consumer', __METHOD__ ) ) {
			DatabaseUpdater::newForDB( $dbw, true, $this )->doUpdates( [ 'extensions' ] );
		}
		foreach ( (array)$this->getOption( 'confirm-email', [] ) as $name ) {
			$this->confirmEmail( $name );
		}
		$owner = User::newFromName( $this->getOption( 'owner' ) );
		if ( !$owner || !$owner->isRegistered() ) {
			$this->fatalError( 'No such user: ' . $this->getOption( 'owner' ) );
		}
		$context = RequestContext::getMain();
		$context->setUser( $owner );
		$outFile = $this->getOption( 'out' );
		$previous = is_readable( $outFile ) ? json_decode( file_get_contents( $outFile ), true ) : null;
		$result = [ 'consumers' => [] ];
		foreach ( $this->specs() as $id => $spec ) {
			$result['consumers'][$id] = $this->ensure( $id, $spec, $owner, $context,
				$previous['consumers'][$id] ?? null );
		}
		$tmp = "$outFile.tmp";
		file_put_contents( $tmp, json_encode( $result, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES ) . "\n" );
		chmod( $tmp, 0600 );
		rename( $tmp, $outFile );
		$this->output( "wrote $outFile\n" );
	}

	private function confirmEmail( string $name ) {
		$user = User::newFromName( $name );
		if ( !$user || !$user->isRegistered() ) {
			$this->fatalError( "No such user: $name" );
		}
		if ( $user->isEmailConfirmed() ) {
			return;
		}
		$user->setEmail( strtolower( $name ) . '@fwlab.test' );
		$user->setEmailAuthenticationTimestamp( wfTimestampNow() );
		$user->saveSettings();
	}

	private function submit( IContextSource $context, array $data, string $what ) {
		$status = ( new ConsumerSubmitControl( $context, $data, Utils::getCentralDB( DB_PRIMARY ) ) )->submit();
		if ( !$status->isGood() ) {
			$this->fatalError( "$what failed: " . $status->getMessage( false, false, 'en' )->text() );
		}
		return $status->value['result'];
	}

	private function ensure( string $id, array $spec, User $owner, IContextSource $context, ?array $prev ): array {
		$dbw = Utils::getCentralDB( DB_PRIMARY );
		$ownerOnly = !empty( $spec['ownerOnly'] );
		$cmr = Consumer::newFromNameVersionUser( $dbw, $spec['name'], '1.0',
			Utils::getCentralIdFromLocalUser( $owner ) );
		$newAccessToken = null;
		if ( !$cmr ) {
			$made = $this->submit( $context, [
				'action' => 'propose', 'name' => $spec['name'], 'version' => '1.0',
				'description' => "fwlab test consumer ($id)",
				'callbackUrl' => $spec['callbackUrl'] ?? '', 'callbackIsPrefix' => !empty( $spec['callbackIsPrefix'] ),
				'oauthVersion' => $spec['v'], 'grants' => json_encode( self::GRANTS ), 'granttype' => 'normal',
				'ownerOnly' => $ownerOnly, 'oauth2IsConfidential' => $spec['confidential'] ?? true,
				'oauth2GrantTypes' => $spec['grantTypes'] ?? [ 'authorization_code', 'refresh_token' ],
				'email' => $owner->getEmail(), 'wiki' => '*', 'rsaKey' => '', 'agreement' => true,
				'restrictions' => MWRestrictions::newDefault(),
			], "$id: propose" );
			$cmr = $made['consumer'];
			$newAccessToken = $made['accessToken'];
			$this->output( "$id: created {$cmr->getConsumerKey()}\n" );
		}
		// owner-only consumers are approved at creation
		if ( $cmr->getStage() !== Consumer::STAGE_APPROVED ) {
			$this->submit( $context, [
				'action' => 'approve', 'consumerKey' => $cmr->getConsumerKey(),
				'reason' => 'fwlab', 'changeToken' => $cmr->getChangeToken( $context ),
			], "$id: approve" );
			$cmr = Consumer::newFromKey( $dbw, $cmr->getConsumerKey() );
			$this->output( "$id: approved\n" );
		}
		$out = [
			'consumer_key' => $cmr->getConsumerKey(),
			'consumer_secret' => Utils::hmacDBSecret( $cmr->getSecretKey() ),
			'callback_url' => $cmr->getCallbackUrl(),
		];
		if ( $cmr instanceof ClientEntity ) {
			$out['client_id'] = $out['consumer_key'];
			$out['client_secret'] = $out['consumer_secret'];
			$out['redirect_uri'] = $out['callback_url'];
		}
		if ( $ownerOnly ) {
			$row = $dbw->selectRow( 'oauth_accepted_consumer', '*',
				[ 'oaac_consumer_id' => $cmr->getId(), 'oaac_user_id' => $cmr->getUserId() ], __METHOD__ );
			if ( !$row ) {
				$this->fatalError( "$id: owner-only consumer without an acceptance" );
			}
			$cmra = ConsumerAcceptance::newFromRow( $dbw, $row );
			if ( $cmr->getOAuthVersion() === Consumer::OAUTH_VERSION_1 ) {
				$out['access_token'] = $cmra->getAccessToken();
				$out['access_secret'] = Utils::hmacDBSecret( $cmra->getAccessSecret() );
			} else {
				$out['access_token'] = $newAccessToken !== null ? (string)$newAccessToken
					: ( $prev['access_token'] ?? (string)$cmr->getOwnerOnlyAccessToken( $cmra ) );
			}
		}
		return $out;
	}
}

$maintClass = FwLabOAuthConsumers::class;
require_once RUN_MAINTENANCE_IF_MAIN;
